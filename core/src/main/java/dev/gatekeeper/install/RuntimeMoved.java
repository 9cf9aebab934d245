package dev.gatekeeper.install;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the hook does when its script ran it on another java than the recorded one (a JDK upgrade removed it, see
 * {@link HookScript#render}): the push is judged as always, the pusher sees one warning line, and the first time a
 * repository runs on a given replacement an event {@code hooks.runtime-moved} is written and an alert sent (to the
 * gate's alert target), so an admin re-runs {@code hooks install} before the replacement goes too. A marker file
 * ({@code $GIT_DIR/gatekeeper/runtime-moved}) remembers what was reported. Never refuses, never throws: the move
 * itself is no reason to refuse a push.
 */
public final class RuntimeMoved {
    static final String MARKER_FILE = "runtime-moved";

    private RuntimeMoved() {}

    /** Whether this hook run is on a fallback java. */
    public static boolean applies(Map<String, String> env) {
        String moved = env.get(HookScript.ENV_JAVA_MOVED);
        return moved != null && !moved.isEmpty();
    }

    /**
     * @param gitDir the repository, or null for a client hook (no event, no alert: a working clone is no server)
     */
    public static void report(Path gitDir, Map<String, String> env, PrintStream err) {
        if (!applies(env)) {
            return;
        }
        String moved = env.get(HookScript.ENV_JAVA_MOVED);
        String used = env.getOrDefault(HookScript.ENV_JAVA_USED, "another java");
        err.println("gatekeeper: warning: the java recorded at install (" + moved + ") is gone; judged on " + used
                + " instead. An admin should run 'gatekeeper hooks install' again.");
        if (gitDir == null) {
            return;
        }
        try {
            Path marker = PolicyLocator.repoDir(gitDir).resolve(MARKER_FILE);
            String key = moved + " -> " + used + "\n";
            if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(key)) {
                return;
            }
            GateEnvironment ge = GateEnvironment.load(gitDir, env);
            String text = "The java recorded when the hook was installed (" + moved + ") is gone, so the hook found "
                    + used + " and judges pushes on it, without its class-data-sharing archive. Run 'gatekeeper"
                    + " hooks install' (or 'hooks install --all DIR') to record a current java.";
            Event e = Event.of(EventType.HOOKS_RUNTIME_MOVED).repository(ge.repositoryName()).decision("warned").reason(text)
                    .detail("recorded", moved).detail("used", used).build();
            try {
                ge.eventLog().append(e);
            } catch (IOException | RuntimeException ex) {
                err.println("gatekeeper: warning: cannot write the audit log: " + ex.getMessage());
            }
            Optional<Notifier> notifier = ge.notifier();
            if (notifier.isPresent()) {
                try {
                    notifier.get().send(new Alert("warning", "gatekeeper: java runtime moved on "
                            + ge.repositoryName(), text, e.id(), Map.of("repository", ge.repositoryName(),
                            "recorded", moved, "used", used)));
                } catch (IOException | RuntimeException ex) {
                    err.println("gatekeeper: warning: alert not delivered to " + notifier.get().describe() + ": "
                            + ex.getMessage());
                    return; // no marker: the next push tries again
                }
            }
            InstallFiles.writeAtomically(marker, key.getBytes(StandardCharsets.UTF_8), InstallFiles.READABLE);
        } catch (IOException | RuntimeException e) {
            err.println("gatekeeper: warning: cannot record the runtime move: " + e.getMessage());
        }
    }
}
