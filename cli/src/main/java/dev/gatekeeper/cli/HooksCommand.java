package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.DefaultPolicy;
import dev.gatekeeper.install.GitRepositories;
import dev.gatekeeper.install.GitalyTarball;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookLayout;
import dev.gatekeeper.install.HookRuntime;
import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.PolicyLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            description = {"Install the pre-receive gate and the post-receive recorder of what landed (server) "
                    + "or, with --client, pre-commit and pre-push hooks (a working clone). An existing hook is kept and"
                    + " chained; a manifest records what was installed. Sets receive.advertisePushOptions=true so "
                    + "pipeline tokens can be sent, and records the repository id tokens are bound to.",
                "Every server install proves itself: the hook git will run is run as the repository's owner on a "
                    + "synthetic update of an unprotected and a protected ref (no ref changes); an install whose gate "
                    + "cannot run, read its policy and secrets or write its audit log is put back as it was and "
                    + "reported (exit 6). Run as root, files are given to the repository's owner.",
                "Without --policy and with no policy found, a default policy protecting the default branch and "
                    + "release tags (refs/tags/v*) is installed. Over installed repositories (--all) it upgrades "
                    + "them in place; an identical install reports 'unchanged'."})
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
        @Option(names = "--no-policy", description = "install without any policy when none is found: the gate then "
                + "refuses every push (fail closed) until one is provided")
        boolean noPolicy;
        @Option(names = "--force", description = "install even where the layout's dispatcher is absent (git does "
                + "not run the hook until it is there)")
        boolean force;
        @Option(names = "--java", paramLabel = "PATH", description = "the java the hook runs (default: the one "
                + "running this command, as invoked); prefer a stable path such as /usr/bin/java")
        Path java;
        @Option(names = "--gitaly-tarball", paramLabel = "FILE", description = "GitLab 15.11+: write the archive "
                + "'gitaly hooks set' takes (custom_hooks/pre-receive.d/gatekeeper and the policy) instead of "
                + "installing; REPO, when given, only supplies the default branch")
        Path gitalyTarball;
        @Option(names = "--no-cds", description = "do not make a class-data-sharing archive (slower hooks)")
        boolean noCds;
        @Option(names = "--repository-id", paramLabel = "ID", description = "the id pipeline tokens name this one "
                + "repository by (default: the path below --all's folder, else the policy's repository:, else the "
                + "folder name; an id recorded before is kept)")
        String repositoryId;

        @Override
        public Integer call() throws GatekeeperException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HookRuntime runtime = Installation.hookRuntime(!noCds, err, java);
            if (gitalyTarball != null) {
                return gitaly(out, runtime);
            }
            List<HookInstaller.Result> results = new HookInstaller().setRepositories(targets.repositories)
                    .setAll(targets.all).setLayout(layout).setClient(client).setPolicy(policy).setNoPolicy(noPolicy)
                    .setForce(force).setRepositoryId(repositoryId).setRuntime(runtime)
                    .setCommandLine(Installation.commandLine(spec)).call();
            Registration registration = Registration.open(err);
            for (HookInstaller.Result r : results) {
                out.println((r.ok() ? r.outcome().name().toLowerCase() : r.outcome().name()) + ": " + r.gitDir()
                        + (r.layout() == null ? "" : " (" + r.layout() + ")")
                        + r.problem().map(p -> ": " + p).orElse(""));
                r.notes().forEach(n -> out.println("  " + n));
                registration.record(r, out, err);
            }
            if (results.isEmpty()) {
                out.println("no repositories found");
            }
            return HookInstaller.Result.exitCode(results).code();
        }

        private int gitaly(PrintWriter out, HookRuntime runtime) throws GatekeeperException {
            if (client || targets.all != null || targets.repositories.size() > 1) {
                throw new GatekeeperException(ExitCode.USAGE, "--gitaly-tarball makes one archive: give at most"
                        + " one REPO (for its default branch), no --all or --client");
            }
            try {
                byte[] policyBytes;
                String said;
                if (policy != null) {
                    PolicyLoader.load(policy);
                    policyBytes = Files.readAllBytes(policy);
                    said = "the policy " + policy;
                } else {
                    String branch = targets.repositories.isEmpty() ? "refs/heads/main"
                            : DefaultPolicy.defaultBranch(GitRepositories.gitDirOf(targets.repositories.get(0))
                                    .orElseThrow(() -> new GatekeeperException(ExitCode.USAGE, "not a git repository: "
                                            + targets.repositories.get(0))));
                    policyBytes = DefaultPolicy.render(branch).getBytes(StandardCharsets.UTF_8);
                    said = "the default policy (protects " + branch + " and " + DefaultPolicy.RELEASE_TAGS + ")";
                }
                GitalyTarball.write(gitalyTarball, runtime, policyBytes);
                out.println("wrote " + gitalyTarball.toAbsolutePath().normalize() + ": " + GitalyTarball.HOOK_PATH
                        + " and " + GitalyTarball.POLICY_PATH + " (" + said + ")");
                out.println("  set it on the Gitaly node that stores the repository (it replaces the repository's"
                        + " custom_hooks/):");
                out.println("  sudo -u git -- /opt/gitlab/embedded/bin/gitaly hooks set --storage default"
                        + " --repository @hashed/xx/yy/<hash>.git --config /var/opt/gitlab/gitaly/config.toml < "
                        + gitalyTarball.toAbsolutePath().normalize());
                out.println("  then prove it there: gatekeeper hooks status <that repository's path>");
                return ExitCode.OK.code();
            } catch (PolicyException e) {
                throw new GatekeeperException(ExitCode.USAGE, "the policy " + policy + " is not valid: "
                        + (e.problems().isEmpty() ? "invalid" : e.problems().get(0)), e);
            } catch (java.io.IOException e) {
                throw new GatekeeperException(ExitCode.ACTION_FAILED, "cannot write " + gitalyTarball + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Report each repository's hooks and exit 3 unless all are installed and work. States: "
                    + "INSTALLED, MISSING, TAMPERED, NOT RUN BY GIT, RUNTIME MISSING, CANNOT READ POLICY, CANNOT "
                    + "AUDIT, CANNOT READ SECRET, GATE FAILED, RUNTIME MOVED, OUTDATED (installed by an older version: "
                    + "install again; README: Troubleshooting).",
                "Unless --no-self-test, it also runs the installed gate as git would (as the repository's owner; "
                    + "needs root or that user) on synthetic updates that change no ref; they are audited."})
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Targets targets;
        @Option(names = "--no-self-test", description = "only the read-only checks (files, config, runtime, "
                + "hooks path, dispatcher)")
        boolean noSelfTest;
        @Option(names = "--json", description = "one JSON object per repository and line: git_dir, state, installed, "
                + "findings, self_test")
        boolean json;

        @Override
        public Integer call() throws GatekeeperException {
            PrintWriter out = spec.commandLine().getOut();
            boolean allInstalled = true;
            for (HookStatus.Result r : new HookStatus().setRepositories(targets.repositories).setAll(targets.all)
                    .setSelfTest(!noSelfTest).call()) {
                allInstalled &= r.installed();
                if (json) {
                    out.println(StatusJson.write(r));
                    continue;
                }
                out.println(r.state().label() + "  " + r.gitDir());
                r.findings().forEach(f -> out.println("  " + f.state().label() + " " + f.subject() + ": "
                        + f.reason()));
                r.selfTest().ifPresent(st -> {
                    if (!st.failed()) {
                        out.println("  self-test " + st.verdict().name().toLowerCase() + " (" + st.took().toMillis()
                                + " ms): " + st.reason());
                        st.notes().forEach(n -> out.println("  note: " + n));
                    }
                });
            }
            out.flush();
            return allInstalled ? ExitCode.OK.code() : ExitCode.REFUSED.code();
        }
    }

    /** {@code hooks status --json}: snake_case keys, states and verdicts as lower-case wire words. */
    static final class StatusJson {
        private static final com.fasterxml.jackson.core.JsonFactory FACTORY = new com.fasterxml.jackson.core.JsonFactory();

        private StatusJson() {}

        static String write(HookStatus.Result r) {
            java.io.StringWriter w = new java.io.StringWriter();
            try (com.fasterxml.jackson.core.JsonGenerator g = FACTORY.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("git_dir", r.gitDir().toString());
                g.writeStringField("state", word(r.state()));
                g.writeBooleanField("installed", r.installed());
                g.writeArrayFieldStart("findings");
                for (HookStatus.Finding f : r.findings()) {
                    g.writeStartObject();
                    g.writeStringField("state", word(f.state()));
                    g.writeStringField("subject", f.subject());
                    g.writeStringField("reason", f.reason());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (r.selfTest().isPresent()) {
                    var st = r.selfTest().get();
                    g.writeObjectFieldStart("self_test");
                    g.writeStringField("verdict", st.verdict().name().toLowerCase(java.util.Locale.ROOT));
                    g.writeStringField("state", word(st.state()));
                    g.writeNumberField("took_ms", st.took().toMillis());
                    g.writeStringField("reason", st.reason());
                    g.writeArrayFieldStart("notes");
                    for (String n : st.notes()) {
                        g.writeString(n);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                } else {
                    g.writeNullField("self_test");
                }
                g.writeEndObject();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return w.toString();
        }

        /** NOT_RUN_BY_GIT as not_run_by_git. */
        static String word(HookStatus.State s) {
            return s.name().toLowerCase(java.util.Locale.ROOT);
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
