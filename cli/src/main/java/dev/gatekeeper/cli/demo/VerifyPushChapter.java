package dev.gatekeeper.cli.demo;

import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.events.Timeline;
import dev.gatekeeper.gate.GateEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Chapter 2: verify-push. Two agents, small shell scripts, each say "Done! Pushed the fix.". One only committed;
 * verify-push, wrapped around it the way a cron job or CI step would run it, catches that (exit 3). The other
 * really pushed and is verified (exit 0). Both runs land in the clone's audit log.
 */
final class VerifyPushChapter {
    static final String BRANCH = "agent/task-42";

    private final DemoShell sh;
    private final DemoSetup setup;
    private final Path gatekeeper;

    /** @param gatekeeper the distribution's bin/gatekeeper, run as a separate process like cron would */
    VerifyPushChapter(DemoShell sh, DemoSetup setup, Path gatekeeper) {
        this.sh = sh;
        this.setup = setup;
        this.gatekeeper = gatekeeper;
    }

    void play() throws IOException, InterruptedException {
        sh.say("== Chapter 2: verify-push ==");
        sh.say("  Agents push to their own branch (" + BRANCH + "); the pipeline takes it from there. Each agent");
        sh.say("  below ends with \"Done! Pushed the fix.\". verify-push wraps the agent: it reads the branch, runs");
        sh.say("  the agent, then checks that the branch moved and holds the agent's HEAD.");
        sh.say("");
        Path agent = setup.clone("agent");
        sh.quiet(agent, "git", "switch", "-q", "-c", BRANCH, "origin/main");
        sh.quiet(agent, "git", "push", "-q", "-u", "origin", BRANCH);
        Path lazy = script(setup.root().resolve("lazy-agent.sh"),
                "echo 'Fixing the flaky test...' > fix-1.txt",
                "git add fix-1.txt && git commit -q -m 'Fix the flaky test'",
                "echo 'Done! Pushed the fix.'");
        Path honest = script(setup.root().resolve("honest-agent.sh"),
                "echo 'Fixing the flaky test, for real' > fix-2.txt",
                "git add fix-2.txt && git commit -q -m 'Fix the flaky test, for real'",
                "git push -q origin HEAD",
                "echo 'Done! Pushed the fix.'");

        sh.say("1. An agent commits, says it pushed, and does not. (3 s timeout here: the remote is local; the");
        sh.say("   default of 30 s allows for replication lag.)");
        DemoShell.Run r = verifyPush(agent, lazy);
        sh.expect(r.exitCode() == 3 && r.output().contains("nothing was pushed"),
                "caught: exit 3, the claim did not reach the remote (event push.unverified)");

        sh.say("2. An honest agent commits and pushes.");
        r = verifyPush(agent, honest);
        sh.expect(r.exitCode() == 0 && r.output().contains("verified: origin"),
                "verified: exit 0, the remote branch holds the agent's HEAD (event push.verified)");

        Path log = agent.resolve(".git/gatekeeper/events.jsonl");
        sh.say("The agent clone's audit trail (gatekeeper events tail --log " + log + "):");
        for (var e : new EventLog(log, GateEnvironment.DEFAULT_MAX_FILE, GateEnvironment.DEFAULT_MAX_FILES)
                .readAll().events()) {
            sh.say("  " + Timeline.line(e));
        }
        sh.say("");
    }

    private DemoShell.Run verifyPush(Path agent, Path script) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return sh.run("cron", agent, Map.of("GATEKEEPER_JAVA", java),
                List.of(gatekeeper.toString(), "verify-push", "--timeout", "3s", "--", "sh", script.toString()),
                "gatekeeper verify-push --timeout 3s -- sh " + script.getFileName());
    }

    private static Path script(Path file, String... lines) throws IOException {
        Files.writeString(file, "#!/bin/sh\nset -e\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
