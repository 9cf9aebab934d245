package dev.gatekeeper.drift;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.git.GitCli;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookManifest;
import dev.gatekeeper.install.HookRuntime;
import dev.gatekeeper.install.HookStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code --heal} does. Saving always comes first and a failed save stops the heal: a deployed checkout's
 * hand edit may be the only copy of an emergency fix, so it is kept twice (a patch file in the state folder and a
 * {@code refs/drift/<time>} commit in the repository itself, which also keeps local commits reachable) before
 * the expected commit is checked out. Every heal is an event in the state folder's {@code drift-events.jsonl}.
 */
final class Heal {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** Who the saved commit is by: a deploy host often has no git identity at all. */
    static final Map<String, String> IDENTITY = Map.of("GIT_AUTHOR_NAME", "gatekeeper drift",
            "GIT_AUTHOR_EMAIL", "drift@gatekeeper.invalid", "GIT_COMMITTER_NAME", "gatekeeper drift",
            "GIT_COMMITTER_EMAIL", "drift@gatekeeper.invalid");

    private Heal() {}

    /** Said in the report when --heal was not given. */
    static String checkoutPlan(Target t, CheckoutScanner.Status s) {
        String to = t.expect() != null ? CheckoutScanner.abbrev(t.expect())
                : t.branch() != null ? "the tip of origin/" + t.branch()
                : s.upstream != null ? "the tip of " + s.upstream : "HEAD";
        return "save the working tree (patch + refs/drift/<time>), then check out " + to;
    }

    /** The commit a checkout must be at, or null when nothing says (no upstream, no recorded SHA). */
    static String expectedCommit(Target t, Path dir, GitCli git) throws IOException, InterruptedException {
        if (t.expect() != null) {
            GitCli.Result o = git.run(dir, "rev-parse", "--verify", "-q", t.expect() + "^{commit}");
            return o.ok() ? o.line() : t.expect();
        }
        String branch = t.branch() != null ? t.branch() : git.run(dir, "symbolic-ref", "-q", "--short", "HEAD")
                .line();
        if (branch.isEmpty()) {
            return null;
        }
        for (String candidate : List.of(branch + "@{upstream}", "refs/remotes/origin/" + branch)) {
            GitCli.Result o = git.run(dir, "rev-parse", "--verify", "-q", candidate + "^{commit}");
            if (o.ok()) {
                return o.line();
            }
        }
        return null;
    }

    /** Saves the checkout's working tree and restores the expected commit; returns what it did. */
    static List<String> checkout(Target t, Path stateDir, Instant now, EventLog log, GitCli git)
            throws IOException, InterruptedException {
        Path dir = Path.of(t.location());
        List<String> done = new ArrayList<>();
        String stamp = STAMP.format(now);
        Snapshot snap = snapshot(dir, stamp, git);
        Path patch = stateDir.resolve("patches").resolve(slug(t.id()) + "-" + stamp + ".patch");
        Files.createDirectories(patch.getParent());
        byte[] diff = git.must(dir, "diff", "--binary", "--full-index", "--no-color", "--no-ext-diff",
                "--no-renames", snap.head, snap.commit).stdout();
        Files.write(patch, diff);
        done.add("saved " + snap.ref + " (" + CheckoutScanner.abbrev(snap.commit) + ") and " + patch);

        String expected = expectedCommit(t, dir, git);
        String target = expected != null ? expected : snap.head;
        String branch = t.branch() != null ? t.branch() : git.run(dir, "symbolic-ref", "-q", "--short", "HEAD")
                .line();
        if (!branch.isEmpty()) {
            git.must(dir, "checkout", "-q", "-f", "-B", branch, target);
        } else {
            git.must(dir, "checkout", "-q", "-f", "--detach", target);
        }
        // not -x: ignored files (logs, caches, local config) are not drift and may be what keeps the service up
        git.must(dir, "clean", "-q", "-f", "-d");
        done.add("checked out " + CheckoutScanner.abbrev(target) + (branch.isEmpty() ? " (detached)" : " on " + branch));
        log.append(Event.of(EventType.DRIFT_HEALED).repository(t.location()).ref(branch.isEmpty() ? "HEAD" : branch)
                .oldId(snap.head).newId(target).decision("healed")
                .reason("working tree restored to the expected commit; the previous state is saved")
                .detail("saved-ref", snap.ref).detail("saved-commit", snap.commit).detail("patch", patch.toString())
                .build());
        return done;
    }

    record Snapshot(String head, String commit, String ref) {}

    /**
     * Commits the whole working tree (tracked changes, staged or not, and untracked files, honouring .gitignore)
     * through a temporary index, so the checkout's own index is untouched, and points {@code refs/drift/<stamp>}
     * at it. Its parent is HEAD, so local commits stay reachable too.
     */
    static Snapshot snapshot(Path dir, String stamp, GitCli git) throws IOException, InterruptedException {
        String head = git.must(dir, "rev-parse", "--verify", "HEAD").line();
        Path gitDir = Path.of(git.must(dir, "rev-parse", "--absolute-git-dir").line());
        Path index = gitDir.resolve("gatekeeper-drift-" + stamp + ".index");
        Map<String, String> env = new java.util.HashMap<>(IDENTITY);
        env.put("GIT_INDEX_FILE", index.toString());
        try {
            git.must(dir, env, "read-tree", head);
            git.must(dir, env, "add", "-A", "--", ".");
            String tree = git.must(dir, env, "write-tree").line();
            String commit = git.must(dir, env, "commit-tree", tree, "-p", head, "-m",
                    "gatekeeper drift: working tree saved before heal at " + stamp).line();
            String ref = "refs/drift/" + stamp;
            git.must(dir, "update-ref", ref, commit, "");
            return new Snapshot(head, commit, ref);
        } finally {
            Files.deleteIfExists(index);
        }
    }

    /**
     * Reinstalls the hooks of a bare repository with the runtime its manifest recorded, or, when that is gone (a
     * JDK upgrade, a new distribution), with {@code current} (the scanning distribution's), else with a java found
     * as the hook finds one. The install proves itself as always ({@code selfTest}).
     */
    static List<String> hooks(Path gitDir, HookStatus.Result status, EventLog log, Supplier<HookRuntime> current,
            boolean selfTest, Map<String, String> env) throws IOException {
        Optional<HookManifest> m = status.manifest();
        if (m.isEmpty() || m.get().runtime() == null) {
            throw new IOException("no readable manifest with a runtime: run 'gatekeeper hooks install' by hand");
        }
        HookManifest.RuntimeInfo r = m.get().runtime();
        HookRuntime runtime = r.toRuntime();
        List<String> done = new ArrayList<>();
        boolean javaThere = Files.isExecutable(runtime.java());
        boolean jarThere = runtime.classpath().stream().allMatch(Files::exists);
        if (!javaThere || !jarThere) {
            HookRuntime replacement = current != null ? current.get() : null;
            if (replacement == null) {
                Path java = javaThere ? runtime.java() : HookRuntime.fallbackJava(env).orElseThrow(() ->
                        new IOException("the recorded java " + r.java() + " is gone and no other Java 17+ was"
                                + " found: run 'gatekeeper hooks install'"));
                List<Path> classpath = jarThere ? runtime.classpath() : List.of(HookRuntime.fallbackJar(env,
                        runtime.linkedJar()).orElseThrow(() -> new IOException("the recorded hook jar "
                                + String.join(", ", r.classpath()) + " is gone and no other was found: run"
                                + " 'gatekeeper hooks install'")));
                replacement = HookRuntime.of(java, classpath).withLinkedJar(runtime.linkedJar().orElse(null));
            }
            done.add("the recorded runtime is gone (" + (javaThere ? String.join(", ", r.classpath()) : r.java())
                    + "); reinstalled with " + replacement.java() + " and " + replacement.classpathString());
            runtime = replacement;
        }
        List<HookInstaller.Result> results;
        try {
            results = new HookInstaller().setRepositories(List.of(gitDir)).setLayout(m.get().layout())
                    .setRuntime(runtime).setSelfTest(selfTest).setEnvironment(env)
                    .setCommandLine(List.of("gatekeeper", "hooks", "install", "--layout", m.get().layout().name(),
                            gitDir.toString()))
                    .call();
        } catch (GatekeeperException e) {
            throw new IOException("cannot reinstall: " + e.getMessage(), e);
        }
        for (HookInstaller.Result res : results) {
            if (!res.ok()) {
                throw new IOException("reinstall failed: " + res.problem().orElse("?"));
            }
            done.add("reinstalled the hooks (" + res.layout() + ")");
            res.notes().forEach(n -> done.add("  " + n));
        }
        log.append(Event.of(EventType.DRIFT_HEALED).repository(gitDir.toString()).decision("healed")
                .reason("hooks reinstalled: " + status.findings().size() + " finding(s)").build());
        return done;
    }

    static String slug(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
