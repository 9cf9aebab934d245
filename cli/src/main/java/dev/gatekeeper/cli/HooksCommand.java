package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookLayout;
import dev.gatekeeper.install.HookStatus;
import dev.gatekeeper.install.HookUninstaller;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "hooks", mixinStandardHelpOptions = true,
        description = "Install, check and remove Gatekeeper's git hooks.",
        subcommands = {HooksCommand.Install.class, HooksCommand.Status.class, HooksCommand.Uninstall.class})
final class HooksCommand {

    /** Which repositories: named ones and/or every bare repository under a folder. */
    static final class Targets {
        @Parameters(paramLabel = "REPO", arity = "0..*", description = "repositories (git directories or clones)")
        List<Path> repositories = List.of();
        @Option(names = "--all", paramLabel = "DIR", description = "every bare repository under DIR")
        Path all;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Install the pre-receive gate (server) or, with --client, pre-commit and pre-push hooks "
                    + "(a working clone). An existing hook is kept and chained; a manifest records what was "
                    + "installed. Sets receive.advertisePushOptions=true so pipeline tokens can be sent."})
    static final class Install implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Targets targets;
        @Option(names = "--layout", defaultValue = "AUTO",
                description = "AUTO, PLAIN (hooks/pre-receive), GITLAB (custom_hooks/pre-receive.d), "
                        + "GITEA (hooks/pre-receive.d) (default: ${DEFAULT-VALUE})")
        HookLayout layout;
        @Option(names = "--client", description = "install client-side hooks into a working clone")
        boolean client;
        @Option(names = "--policy", paramLabel = "FILE", description = "copy this policy into each repository")
        Path policy;
        @Option(names = "--no-cds", description = "do not make a class-data-sharing archive (slower hooks)")
        boolean noCds;

        @Override
        public Integer call() throws GatekeeperException {
            PrintWriter out = spec.commandLine().getOut();
            List<HookInstaller.Result> results = new HookInstaller().setRepositories(targets.repositories)
                    .setAll(targets.all).setLayout(layout).setClient(client).setPolicy(policy)
                    .setRuntime(Installation.hookRuntime(!noCds, spec.commandLine().getErr())).call();
            Registration registration = Registration.open(spec.commandLine().getErr());
            boolean ok = true;
            for (HookInstaller.Result r : results) {
                ok &= r.ok();
                out.println((r.ok() ? r.outcome().name().toLowerCase() : "FAILED") + ": " + r.gitDir()
                        + (r.layout() == null ? "" : " (" + r.layout() + ")")
                        + r.problem().map(p -> ": " + p).orElse(""));
                r.notes().forEach(n -> out.println("  " + n));
                registration.record(r, out, spec.commandLine().getErr());
            }
            if (results.isEmpty()) {
                out.println("no repositories found");
            }
            return ok ? ExitCode.OK.code() : ExitCode.ACTION_FAILED.code();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Report each repository's hooks as INSTALLED, MISSING or TAMPERED (exit 3 unless all are "
                    + "installed and unchanged).")
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Targets targets;

        @Override
        public Integer call() throws GatekeeperException {
            PrintWriter out = spec.commandLine().getOut();
            boolean allInstalled = true;
            for (HookStatus.Result r : new HookStatus().setRepositories(targets.repositories).setAll(targets.all)
                    .call()) {
                allInstalled &= r.installed();
                out.println(r.state() + "  " + r.gitDir());
                r.findings().forEach(f -> out.println("  " + f.state() + " " + f.subject() + ": " + f.reason()));
            }
            return allInstalled ? ExitCode.OK.code() : ExitCode.REFUSED.code();
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Remove Gatekeeper's hooks and restore what was there before, byte for byte. A hook that "
                    + "was modified since the install is kept unless --force (which saves a copy first).")
    static final class Uninstall implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Targets targets;
        @Option(names = "--force", description = "remove modified hooks too (a copy is saved first)")
        boolean force;

        @Override
        public Integer call() throws GatekeeperException {
            PrintWriter out = spec.commandLine().getOut();
            boolean ok = true;
            List<HookUninstaller.Result> results = new HookUninstaller().setRepositories(targets.repositories)
                    .setAll(targets.all).setForce(force).call();
            for (HookUninstaller.Result r : results) {
                ok &= r.ok();
                out.println(r.outcome().name().toLowerCase() + ": " + r.gitDir()
                        + r.problem().map(p -> ": " + p).orElse(""));
                r.notes().forEach(n -> out.println("  " + n));
                r.saved().forEach(s -> out.println("  saved " + s));
            }
            Registration.open(spec.commandLine().getErr()).forgetRemoved(results);
            return ok ? ExitCode.OK.code() : ExitCode.ACTION_FAILED.code();
        }
    }
}
