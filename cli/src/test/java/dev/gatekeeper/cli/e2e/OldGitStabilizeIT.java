package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekeeper.cli.demo.HealthService;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatekeeper stabilize} on a machine whose git is older than 2.38 (Debian bullseye 2.30, Ubuntu 22.04 2.34,
 * RHEL 8): the distribution runs with a PATH whose first {@code git} is a shim that answers {@code merge-tree} as
 * git 2.37 and older do (only the trivial three-tree mode; any other argument count prints its usage and exits
 * 129, builtin/merge-tree.c before 2.38) and hands everything else to the real git. Stabilize must find that out
 * by itself and compute the revert with {@code git revert --no-commit} in a throw-away worktree; each outcome is
 * compared with {@code git revert} in a scratch clone, and the shim's log proves the JVM really ran it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OldGitStabilizeIT {
    @TempDir
    Path root;

    private GatedApp app;
    private Map<String, String> env;
    private Git git;
    private Dist dist;
    private GitServer server;
    private Path secret;
    private Path work;
    private Path deployed;
    private HealthService service;
    private Path shimLog;
    private Path shimDir;
    private Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        app = new GatedApp(root, "cache.conf", CACHE_CONF);
        env = app.env;
        git = app.git;
        dist = app.dist;
        server = app.server;
        secret = app.secret;
        work = app.work;
        deployed = app.deployed;
        service = app.service;
        shimLog = root.resolve("git-shim.log");
        shimDir = writeShim(root.resolve("old-git-bin"), realGit(env.get("PATH")), shimLog);
        tmp = Files.createDirectories(root.resolve("tmp"));
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    private static final String CACHE_CONF = "# cache settings\nsize=64m\nttl=300\nshards=4\nevict=lru\n"
            + "warmup=on\nstats=off\n";

    /** The first executable {@code git} on {@code path}: what the shim hands everything but merge-tree to. */
    private static Path realGit(String path) {
        for (String dir : path.split(File.pathSeparator)) {
            Path g = Path.of(dir.isEmpty() ? "." : dir, "git");
            if (Files.isRegularFile(g) && Files.isExecutable(g)) {
                return g.toAbsolutePath();
            }
        }
        return fail("no git on PATH " + path);
    }

    /**
     * {@code dir/git}: git 2.37's merge-tree in front of the real git. Before 2.38, {@code cmd_merge_tree} took
     * exactly {@code <base-tree> <branch1> <branch2>} and otherwise called {@code usage()}: "usage: git merge-tree
     * <base-tree> <branch1> <branch2>" on stderr, exit 129 (no option parsing, so --write-tree is just a wrong
     * argument count). Every call is logged with its folder, so the test sees that the JVM ran this git.
     */
    private static Path writeShim(Path dir, Path real, Path log) throws IOException {
        Files.createDirectories(dir);
        Path shim = dir.resolve("git");
        Files.writeString(shim, "#!/bin/sh\n"
                + "printf '%s | %s\\n' \"$PWD\" \"$*\" >> '" + log + "'\n"
                + "sub= skip= n=0\n"
                + "for a in \"$@\"; do\n"
                + "  if [ -n \"$sub\" ]; then n=$((n + 1)); continue; fi\n"
                + "  if [ -n \"$skip\" ]; then skip=; continue; fi\n"
                + "  case $a in\n"
                + "    -c|-C) skip=1 ;;\n"
                + "    -*) ;;\n"
                + "    *) sub=$a ;;\n"
                + "  esac\n"
                + "done\n"
                + "if [ \"$sub\" = merge-tree ] && [ \"$n\" -ne 3 ]; then\n"
                + "  echo 'usage: git merge-tree <base-tree> <branch1> <branch2>' >&2\n"
                + "  exit 129\n"
                + "fi\n"
                + "exec '" + real + "' \"$@\"\n", StandardCharsets.UTF_8);
        assertTrue(shim.toFile().setExecutable(true));
        return dir;
    }

    private void pushThroughGate() {
        app.pushThroughGate(work);
    }

    private void pushThroughGate(Path clone) {
        app.pushThroughGate(clone);
    }

    /** A feature branch with {@code files} (path, content) merged with --no-ff into main, after a commit on main. */
    private String merge(String... files) {
        git.ok(work, "switch", "-q", "-c", "feature", "main");
        for (int i = 0; i < files.length; i += 2) {
            git.commit(work, files[i], files[i + 1], "feature: " + files[i]);
        }
        git.ok(work, "switch", "-q", "main");
        git.commit(work, "notes.txt", "main moved meanwhile " + System.nanoTime() + "\n", "notes on main");
        git.ok(work, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
        return git.head(work);
    }

    private void deploy() {
        app.deploy();
    }

    /** stabilize --json from the distribution, with the old git first on its PATH and its own temporary folder. */
    private Proc.Result stabilizeWithOldGit(String commit) {
        List<String> args = new ArrayList<>(List.of("stabilize", "-C", work.toString(), "--commit", commit,
                "--wait", "0s", "--samples", "2", "--interval", "50ms", "--confirm-wait", "0s",
                "--probe", "http:GET:" + service.url(),
                "--deploy", "git -C " + deployed + " pull -q --ff-only",
                "--token-secret-file", secret.toString(), "--repo-name", "app", "--json"));
        Map<String, String> e = new HashMap<>();
        // the JVM resolves "git" with its own PATH (ProcessBuilder searches the parent's PATH, not the child's),
        // so the shim goes first on the PATH the launcher's java starts with
        e.put("PATH", shimDir + File.pathSeparator + env.get("PATH"));
        e.put("TMPDIR", tmp.toString());
        e.put("GATEKEEPER_OPTS", "-Djava.io.tmpdir=" + tmp);
        return dist.run(work, e, null, Duration.ofSeconds(120), args.toArray(String[]::new));
    }

    /** What git revert did in a scratch clone: the tree (null when it stopped), its output, the unmerged paths. */
    private record Reference(String tree, Path scratch, String output, List<String> unmerged) {}

    /** {@code git revert --no-edit [-m 1] COMMIT} on {@code onto} with the real git, in a scratch clone. */
    private Reference reference(String commit, String onto) {
        Path scratch = git.cloneInto(server.fileUrl(), root.resolve("scratch-" + System.nanoTime()));
        git.ok(scratch, "checkout", "-q", onto);
        boolean merge = git.out(scratch, "rev-list", "--parents", "-n", "1", commit).split(" ").length > 2;
        List<String> cmd = new ArrayList<>(List.of("revert", "--no-edit"));
        if (merge) {
            cmd.addAll(List.of("-m", "1"));
        }
        cmd.add(commit);
        Proc.Result r = git.run(scratch, cmd.toArray(String[]::new));
        if (r.exitCode() != 0) {
            String unmerged = git.out(scratch, "diff", "--name-only", "--diff-filter=U");
            return new Reference(null, scratch, r.output(), unmerged.isEmpty() ? List.of()
                    : List.of(unmerged.split("\n")));
        }
        return new Reference(git.out(scratch, "rev-parse", "HEAD^{tree}"), scratch, r.output(), List.of());
    }

    /** What the shim saw, failing when the JVM bypassed it and when no worktree revert ran in our temp folder. */
    private List<String> shimSawTheDetectionAndTheWorktreeRevert() throws IOException {
        assertTrue(Files.exists(shimLog), "the gatekeeper process never ran the shim: it did not use PATH's git");
        List<String> lines = Files.readAllLines(shimLog, StandardCharsets.UTF_8);
        assertTrue(lines.stream().anyMatch(l -> l.contains("merge-tree --write-tree")),
                "stabilize tried merge-tree first:\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(tmp + "/gatekeeper-revert")
                        && l.contains("/worktree | -c core.hooksPath=/dev/null revert --no-commit")),
                "then git revert in a throw-away worktree under its temporary folder:\n" + String.join("\n", lines));
        return lines;
    }

    /** Nothing of the revert is left: no linked worktree, no pending-revert ref, an empty temporary folder. */
    private void nothingLeftBehind() throws IOException {
        assertEquals(1, git.out(work, "worktree", "list", "--porcelain").lines()
                .filter(l -> l.startsWith("worktree ")).count(), git.out(work, "worktree", "list"));
        assertFalse(Files.exists(work.resolve(".git/worktrees")) && isNonEmpty(work.resolve(".git/worktrees")),
                "worktree administrative files left");
        assertEquals("", git.out(work, "for-each-ref", "refs/gatekeeper/reverts"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "the process's temporary folder");
        }
        assertEquals("", git.out(work, "status", "--porcelain"), "the clone is left clean");
    }

    private static boolean isNonEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    /**
     * The case JGit got wrong: the merge changed cache.conf, a later commit moved it to conf/. git revert follows
     * the rename (the old settings come back at conf/cache.conf); the worktree method must give exactly that tree.
     */
    @Test
    void aBadMergeWhoseFileWasRenamedSinceIsRevertedAsGitRevertDoesThroughTheWorktree() throws IOException {
        String merge = merge(HealthService.FILE, "broken: cache disabled\n", "cache.conf",
                CACHE_CONF.replace("size=64m", "size=0"));
        pushThroughGate();
        Files.createDirectories(work.resolve("conf"));
        git.ok(work, "mv", "cache.conf", "conf/cache.conf");
        git.ok(work, "commit", "-q", "-m", "move settings to conf/");
        pushThroughGate();
        deploy();
        String tip = server.main();
        Reference ref = reference(merge, tip);
        assertTrue(ref.tree() != null, "git revert itself is clean here: " + ref);
        String expected = ref.tree();
        assertEquals(CACHE_CONF, git.out(ref.scratch(), "cat-file", "blob", expected + ":conf/cache.conf") + "\n",
                "git follows the rename: the old settings at the new path");

        Proc.Result r = stabilizeWithOldGit(merge);
        r.expectExit(5);
        JsonNode report = GitServer.JSON.readTree(r.stdout());
        assertEquals("pushed", report.path("revert_status").asText(), r.describe());
        assertEquals("worktree", report.path("revert_method").asText(), r.describe());
        String revert = report.path("revert").asText();
        assertEquals(revert, server.main(), "main on the server is the revert");
        assertEquals(tip, server.rev("refs/heads/main^"), "on top of the tip, no rewrite");
        assertEquals(expected, git.out(server.gitDir(), "rev-parse", "main^{tree}"), "git revert's tree");
        assertEquals("ok", Files.readString(deployed.resolve(HealthService.FILE)).strip(), "redeployed");
        assertEquals("healthy", report.path("after_revert").asText(), r.describe());
        shimSawTheDetectionAndTheWorktreeRevert();
        nothingLeftBehind();
    }

    /** A plain commit (no -m) on main: the worktree method's other form of git revert. */
    @Test
    void aBadPlainCommitIsRevertedAsGitRevertDoes() throws IOException {
        String bad = git.commit(work, HealthService.FILE, "broken: hotfix gone wrong\n", "hotfix");
        pushThroughGate();
        deploy();
        Reference ref = reference(bad, bad);
        assertTrue(ref.tree() != null, "git revert itself is clean here: " + ref);
        String expected = ref.tree();

        Proc.Result r = stabilizeWithOldGit(bad);
        r.expectExit(5);
        JsonNode report = GitServer.JSON.readTree(r.stdout());
        assertEquals("worktree", report.path("revert_method").asText(), r.describe());
        assertEquals(bad, server.rev("refs/heads/main^"));
        assertEquals(expected, git.out(server.gitDir(), "rev-parse", "main^{tree}"), "git revert's tree");
        List<String> lines = shimSawTheDetectionAndTheWorktreeRevert();
        assertTrue(lines.stream().noneMatch(l -> l.contains("revert --no-commit -m 1")), String.join("\n", lines));
        nothingLeftBehind();
    }

    /** Someone changed the merge's lines on main since: git revert stops with a conflict, so nothing is pushed. */
    @Test
    void aConflictingRevertPushesNothingAndLeavesNothingBehind() throws IOException {
        String merge = merge(HealthService.FILE, "broken: cache disabled\n", "app.conf", "mode=fast\nport=8080\n");
        pushThroughGate();
        deploy();
        Path other = git.cloneInto(server.fileUrl(), root.resolve("colleague"));
        git.commit(other, "app.conf", "mode=faster\nport=9090\n", "tune config");
        pushThroughGate(other);
        String tip = server.main();
        String refsBefore = git.out(server.gitDir(), "for-each-ref");
        Reference ref = reference(merge, tip);
        assertEquals(null, ref.tree(), "git revert itself stops here");
        List<String> expectedConflicts = ref.unmerged();
        assertEquals(List.of("app.conf"), expectedConflicts, ref.output());

        Proc.Result r = stabilizeWithOldGit(merge);
        r.expectExit(6);
        JsonNode report = GitServer.JSON.readTree(r.stdout());
        assertEquals("conflict", report.path("revert_status").asText(), r.describe());
        assertEquals("worktree", report.path("revert_method").asText(), r.describe());
        List<String> conflicts = new ArrayList<>();
        report.path("conflicts").forEach(c -> conflicts.add(c.asText()));
        assertEquals(expectedConflicts, conflicts, "the paths git revert stops at");
        assertTrue(report.path("summary").asText().contains("CONFLICT (content): Merge conflict in app.conf"),
                r.describe());
        assertEquals(tip, server.main(), "nothing pushed");
        assertEquals(refsBefore, git.out(server.gitDir(), "for-each-ref"), "the remote untouched");
        shimSawTheDetectionAndTheWorktreeRevert();
        nothingLeftBehind();
    }

    /** The same change on both sides: the merge changes nothing against its first parent, git reverts nothing. */
    @Test
    void aMergeThatChangedNothingIsNotRevertedWithAnEmptyCommit() throws IOException {
        git.commit(work, HealthService.FILE, "broken: by an earlier commit\n", "break health");
        pushThroughGate();
        git.ok(work, "switch", "-q", "-c", "feature", "main~1");
        git.commit(work, "notes.txt", "same\n", "feature: notes");
        git.ok(work, "switch", "-q", "main");
        git.commit(work, "notes.txt", "same\n", "main: notes");
        git.ok(work, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
        String merge = git.head(work);
        assertEquals(git.out(work, "rev-parse", "HEAD^1^{tree}"), git.out(work, "rev-parse", "HEAD^{tree}"));
        pushThroughGate();
        deploy();
        String refsBefore = git.out(server.gitDir(), "for-each-ref");
        Reference ref = reference(merge, merge);
        assertEquals(null, ref.tree(), "git revert itself makes no commit");
        assertTrue(ref.output().contains("nothing to commit"), ref.output());

        Proc.Result r = stabilizeWithOldGit(merge);
        r.expectExit(6);
        JsonNode report = GitServer.JSON.readTree(r.stdout());
        assertEquals("nothing-to-revert", report.path("revert_status").asText(), r.describe());
        assertEquals("worktree", report.path("revert_method").asText(), r.describe());
        assertTrue(report.path("summary").asText().contains("nothing to revert"), r.describe());
        assertEquals(merge, server.main(), "no empty revert pushed");
        assertEquals(refsBefore, git.out(server.gitDir(), "for-each-ref"), "the remote untouched");
        shimSawTheDetectionAndTheWorktreeRevert();
        nothingLeftBehind();
    }

    /**
     * The user's own linked worktree lives on a drive that is not mounted while stabilize runs (git's documented
     * case for "worktree lock"; unlocked, git gc prunes it only after gc.worktreePruneExpire, 3 months). The
     * throw-away worktree's cleanup must remove that worktree and nothing else: the user's comes back intact, with
     * its branch and its staged change.
     */
    @Test
    void aUsersWorktreeOnAnUnmountedDriveSurvivesTheWorktreeRevert() throws IOException {
        Path drive = root.resolve("usb");
        git.ok(work, "worktree", "add", "-q", "-b", "topic", drive.resolve("topic").toString());
        git.commit(drive.resolve("topic"), "wip.txt", "first\n", "wip");
        Files.writeString(drive.resolve("topic/wip.txt"), "staged, not committed\n");
        git.ok(drive.resolve("topic"), "add", "wip.txt");
        Path away = root.resolve("usb-unmounted");
        Files.move(drive, away);
        String bad = git.commit(work, HealthService.FILE, "broken: hotfix gone wrong\n", "hotfix");
        pushThroughGate();
        deploy();

        Proc.Result r = stabilizeWithOldGit(bad);
        r.expectExit(5);
        assertEquals("worktree", GitServer.JSON.readTree(r.stdout()).path("revert_method").asText(), r.describe());
        shimSawTheDetectionAndTheWorktreeRevert();

        Files.move(away, drive);
        Proc.Result status = git.run(drive.resolve("topic"), "status", "--porcelain", "--branch");
        assertEquals("## topic\nM  wip.txt\n", status.expectOk().stdout(), status.describe());
        assertTrue(git.out(work, "worktree", "list").contains(drive.resolve("topic") + " "),
                git.out(work, "worktree", "list"));
    }

    /** The shim itself, checked against what the test relies on: 2.37's merge-tree, the real git for the rest. */
    @Test
    void theShimRefusesMergeTreeWriteTreeAsGit237AndPassesEverythingElse() throws IOException {
        // (by its path: this JVM would resolve "git" with its own PATH, the very trap the shim's log guards against)
        String shim = shimDir.resolve("git").toString();
        Map<String, String> e = env;
        Proc.Result refused = Proc.run(work, e, null, Duration.ofSeconds(30), List.of(shim, "-c",
                "core.hooksPath=/dev/null", "merge-tree", "--write-tree", "-z", "--name-only", "HEAD", "HEAD~1"));
        assertEquals(129, refused.exitCode(), refused.describe());
        assertEquals("usage: git merge-tree <base-tree> <branch1> <branch2>\n", refused.stderr());
        Proc.Result trivial = Proc.run(work, e, null, Duration.ofSeconds(30), List.of(shim, "merge-tree",
                "HEAD~1", "HEAD", "HEAD"));
        assertEquals(0, trivial.exitCode(), trivial.describe());
        Proc.Result version = Proc.run(work, e, null, Duration.ofSeconds(30), List.of(shim, "--version"));
        assertEquals(git.out(work, "--version"), version.stdout().strip());
        assertEquals(3, Files.readAllLines(shimLog).size());
    }
}
