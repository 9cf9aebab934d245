package dev.gatekeeper.cli.demo;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.HookRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gatekeeper demo}: plays Gatekeeper's stories with real git in a scratch folder and prints them as a
 * timeline. Every step checks its outcome, so the demo exits 3 if anything did not happen as told.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Play the push-gate, verify-push, stabilize and drift stories with real git pushes in a scratch "
                + "folder (kept for you to look at), then write their incident report (report.html).")
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", description = "scratch folder (default: a new temporary folder)")
    Path dir;

    /** How the CLI provides the hook runtime (java + hook jar + CDS archive). */
    public interface RuntimeSource {
        HookRuntime get(PrintWriter log) throws GatekeeperException;
    }

    /** Where the CLI's own launcher is (bin/gatekeeper), which chapters 2 and 3 run as cron or CI would. */
    public interface LauncherSource {
        Path get() throws GatekeeperException;
    }

    private final RuntimeSource runtimes;
    private final LauncherSource launcher;

    public DemoCommand(RuntimeSource runtimes, LauncherSource launcher) {
        this.runtimes = runtimes;
        this.launcher = launcher;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = dir != null ? dir : Files.createTempDirectory("gatekeeper-demo-");
        Files.createDirectories(root);
        if (Files.list(root).findAny().isPresent()) {
            throw new GatekeeperException(ExitCode.USAGE, "--dir must be empty or new: " + root);
        }
        out.println("Gatekeeper demo, in " + root);
        out.println("Installing the hooks (the first run also makes a class-data-sharing archive, a few seconds)...");
        out.println();
        out.flush();
        DemoShell sh = new DemoShell(out, Files.createDirectories(root.resolve(".home")));
        DemoSetup setup = DemoSetup.create(sh, root, runtimes.get(spec.commandLine().getErr()));
        new PushGateChapter(sh, setup).play();
        new VerifyPushChapter(sh, setup, launcher.get()).play();
        new StabilizeChapter(sh, setup, launcher.get()).play();
        new DriftChapter(sh, setup, launcher.get()).play();
        Path report = new ReportChapter(sh, setup, launcher.get()).play();
        if (sh.failures() > 0) {
            out.println("The demo did NOT go as told: " + sh.failures() + " step(s) unexpected (marked above).");
            out.println("Incident report: " + report);
            return ExitCode.REFUSED.code();
        }
        out.println("Every step went as told. Look around: " + root);
        out.println("Incident report: " + report);
        return ExitCode.OK.code();
    }

}
