package dev.gatekeeper.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The end: every log the demo wrote (the git server's audit log, the CI and agent clones', the drift scan's),
 * grouped into incidents with their time to detect and recover, and written as one HTML page, through the
 * distribution's launcher as an operator would run it.
 */
final class ReportChapter {
    private final DemoShell sh;
    private final DemoSetup setup;
    private final Path gatekeeper;

    ReportChapter(DemoShell sh, DemoSetup setup, Path gatekeeper) {
        this.sh = sh;
        this.setup = setup;
        this.gatekeeper = gatekeeper;
    }

    /** Plays the chapter; returns the report it wrote. */
    Path play() throws IOException, InterruptedException {
        sh.say("== Epilogue: incidents, measured ==");
        sh.say("  Every log of the demo, merged: which incidents happened, how long each took to detect and to");
        sh.say("  recover, and the event ids to look up.");
        sh.say("");
        List<String> logs = new ArrayList<>(List.of("--git-dir", "server/app.git"));
        for (String log : List.of("ci/.git/gatekeeper/events.jsonl", "agent/.git/gatekeeper/events.jsonl",
                "drift-state/drift-events.jsonl")) {
            if (Files.exists(setup.root().resolve(log))) {
                logs.addAll(List.of("--log", log));
            }
        }
        List<String> args = new ArrayList<>(List.of("events", "incidents"));
        args.addAll(logs);
        DemoShell.Run r = run(args);
        sh.expect(r.exitCode() == 0 && r.output().contains("RECOVERED    revert")
                        && r.output().contains("break-glass") && r.output().contains("drift"),
                "the bad merge: detected and reverted, recovered with no human; break-glass; the drift");

        Path report = setup.root().resolve("report.html");
        args = new ArrayList<>(List.of("events", "report", "--html", "report.html"));
        args.addAll(logs);
        r = run(args);
        sh.expect(r.exitCode() == 0 && Files.isRegularFile(report),
                "one self-contained page: open it in a browser");
        return report;
    }

    private DemoShell.Run run(List<String> args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(gatekeeper.toString());
        command.addAll(args);
        return sh.run("ops", setup.root(), Map.of("GATEKEEPER_JAVA", java), command,
                "gatekeeper " + String.join(" ", args));
    }
}
