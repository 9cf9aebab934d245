package dev.gatekeeper.install;

import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventType;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the hook does when its script ran it on another java, or with another hook jar, than the recorded one (a JDK
 * upgrade removed the java; an upgrade of Gatekeeper deleted the old version's folder before {@code hooks install
 * --all}; see {@link HookScript#render}): the push is judged as always, the pusher sees one warning line, and the
 * first time a repository runs on a given replacement an event {@code hooks.runtime-moved} is written and an alert
 * sent (to the gate's alert target), so an admin re-runs {@code hooks install} before the replacement goes too. A
 * marker file ({@code $GIT_DIR/gatekeeper/runtime-moved}) remembers what was reported. Never refuses, never throws:
 * the move itself is no reason to refuse a push.
 */
public final class RuntimeMoved {
    static final String MARKER_FILE = "runtime-moved";

    private RuntimeMoved() {}

    /** Whether this hook run is on a fallback java or a fallback hook jar. */
    public static boolean applies(Map<String, String> env) {
        return set(env, HookScript.ENV_JAVA_MOVED) || set(env, HookScript.ENV_JAR_MOVED);
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isEmpty();
    }

    /**
     * @param gitDir the repository, or null for a client hook (no event, no alert: a working clone is no server)
     */
    public static void report(Path gitDir, Map<String, String> env, PrintStream err) {
        if (!applies(env)) {
            return;
        }
        boolean javaMoved = set(env, HookScript.ENV_JAVA_MOVED);
        boolean jarMoved = set(env, HookScript.ENV_JAR_MOVED);
        String movedJava = env.get(HookScript.ENV_JAVA_MOVED);
        String usedJava = env.getOrDefault(HookScript.ENV_JAVA_USED, "another java");
        String movedJar = env.get(HookScript.ENV_JAR_MOVED);
        String usedJar = env.getOrDefault(HookScript.ENV_JAR_USED, "another hook jar");
        List<String> what = new ArrayList<>();
        if (javaMoved) {
            what.add("the java recorded at install (" + movedJava + ") is gone; judged on " + usedJava + " instead");
        }
        if (jarMoved) {
            what.add("the hook jar recorded at install (" + movedJar + ") is gone; judged with " + usedJar
                    + " instead");
        }
        err.println("gatekeeper: warning: " + String.join("; ", what)
                + ". An admin should run 'gatekeeper hooks install' again.");
        if (gitDir == null) {
            return;
        }
        try {
            Path marker = PolicyLocator.repoDir(gitDir).resolve(MARKER_FILE);
            // the java-only key is the one written before the jar fallback existed: a move reported then stays so
            String key = (javaMoved ? movedJava + " -> " + usedJava + "\n" : "")
                    + (jarMoved ? "jar: " + movedJar + " -> " + usedJar + "\n" : "");
            if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(key)) {
                return;
            }
            GateEnvironment ge = GateEnvironment.load(gitDir, env);
            List<String> text = new ArrayList<>();
            Map<String, String> details = new LinkedHashMap<>();
            if (javaMoved) {
                text.add("The java recorded when the hook was installed (" + movedJava + ") is gone, so the hook"
                        + " found " + usedJava + " and judges pushes on it, without its class-data-sharing archive.");
                details.put("recorded", movedJava);
                details.put("used", usedJava);
            }
            if (jarMoved) {
                text.add("The hook jar recorded when the hook was installed (" + movedJar + ") is gone (its"
                        + " version's folder was removed), so the hook found " + usedJar + " and judges pushes with"
                        + " it, without its class-data-sharing archive.");
                details.put("recordedJar", movedJar);
                details.put("usedJar", usedJar);
            }
            String reason = String.join(" ", text) + " Run 'gatekeeper hooks install' (or 'hooks install --all"
                    + " DIR') to record the current " + (javaMoved && jarMoved ? "java and jar" : javaMoved ? "java"
                    : "jar") + ".";
            Event.Builder b = Event.of(EventType.HOOKS_RUNTIME_MOVED).repository(ge.repositoryName())
                    .decision("warned").reason(reason);
            details.forEach(b::detail);
            Event e = b.build();
            try {
                ge.eventLog().append(e);
            } catch (IOException | RuntimeException ex) {
                err.println("gatekeeper: warning: cannot write the audit log: " + ex.getMessage());
            }
            Optional<Notifier> notifier = ge.notifier();
            if (notifier.isPresent()) {
                String title = javaMoved && jarMoved ? "java runtime and hook jar moved"
                        : javaMoved ? "java runtime moved" : "hook jar moved";
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("repository", ge.repositoryName());
                fields.putAll(details);
                try {
                    notifier.get().send(new Alert("warning", "gatekeeper: " + title + " on " + ge.repositoryName(),
                            reason, e.id(), fields));
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
