package dev.gatekeeper.stabilize;

import dev.gatekeeper.git.GitCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;

/**
 * The tree {@code git revert --no-edit [-m 1] C} makes on a tip, computed by git's own merge machinery, without a
 * checkout of the user's clone: its work tree, index, HEAD and refs are never touched.
 *
 * <p>A revert is a three-way merge: base = C, ours = the tip, theirs = C's first parent. Git runs it with its ort
 * strategy, which follows renames (also whole-folder renames) and honours merge attributes; JGit's ResolveMerger
 * follows no renames, and on generated histories it pushed an empty revert or a tree different from git's in 71 of
 * 300 (commit, tip) pairs (RevertCorpusTest, seed 1). So the git binary computes the tree, in one of two ways:
 *
 * <ul>
 *   <li>{@link Method#MERGE_TREE} (git 2.38 and later; an older git is found by its refusal of the option):
 *       {@code git merge-tree --write-tree} on two throw-away commits, one with the tip's tree and one with C^1's,
 *       whose only common ancestor is a commit with C's tree: exactly the base, ours and theirs of the revert,
 *       through the same ort merge. ({@code --merge-base}, which would name the base directly, needs git 2.40; the
 *       three commits are written to the temporary object store below and never reach the repository.)</li>
 *   <li>{@link Method#WORKTREE} (older git): {@code git revert --no-commit} itself, in a throw-away linked worktree
 *       at the tip, removed afterwards. Slower: it checks the tip's files out.</li>
 * </ul>
 *
 * <p>Measured (bench/stabilize-revert: 50,001 commits, 3,001 files, 2 loaded cores): merge-tree from here 32 ms
 * median, {@code git revert -m 1} in a checked-out clone 18 ms, the worktree fallback 2.7 s (the checkout), JGit's
 * ResolveMerger 467-770 ms.</p>
 *
 * <p>Both write into a temporary object store (the repository's objects are its alternate); the new objects are
 * moved into the repository only when the revert is clean and {@code keep} is set, so a conflict or a dry run
 * leaves nothing behind. Merge attributes are read as a checkout of the tip would read them: the tip's
 * {@code .gitattributes} files are written into the temporary work tree the merge runs in, next to
 * {@code $GIT_DIR/info/attributes}. Hooks are off ({@code core.hooksPath=/dev/null}).
 *
 * <p>RevertCorpusTest checks both methods against {@code git revert} in a scratch clone over hundreds of pairs.
 */
public final class GitRevert {
    /** How the tree was computed. */
    public enum Method { MERGE_TREE, WORKTREE }

    public enum Kind {
        /** the revert changes the tip: {@link Outcome#tree()} is git's tree */
        CLEAN,
        /** git stops with a conflict: {@link Outcome#conflicts()} (may be empty for conflicts without a path) */
        CONFLICT,
        /** the revert changes nothing: git would say "nothing to commit" */
        EMPTY
    }

    /**
     * The outcome: the tree (CLEAN), the conflicting paths and git's CONFLICT lines (CONFLICT), and how long it
     * took.
     */
    public record Outcome(Kind kind, ObjectId tree, List<String> conflicts, List<String> messages, Method method,
                          long nanos) {
        public Outcome {
            conflicts = List.copyOf(conflicts);
            messages = List.copyOf(messages);
        }
    }

    private static final String TMP_PREFIX = "gatekeeper-revert";
    private static final PersonIdent NOBODY = new PersonIdent("gatekeeper", "gatekeeper@localhost", 0L, 0);
    /** Where a throw-away worktree's {@code .git} is: {@code <tmp>/gatekeeper-revert<n>/worktree/.git}. */
    private static final Pattern THROWAWAY = Pattern.compile(".*/" + TMP_PREFIX + "[0-9]+/worktree/\\.git");

    private final Repository repo;
    private final GitCli git;
    private Method method;
    private boolean keep = true;

    public GitRevert(Repository repo, GitCli git) {
        this.repo = repo;
        this.git = git;
    }

    /** Forces a method (tests); default: merge-tree where the installed git has it, else the worktree. */
    public GitRevert setMethod(Method v) { this.method = v; return this; }

    /** Whether a clean revert's objects are moved into the repository (default); false for a dry run. */
    public GitRevert setKeep(boolean v) { this.keep = v; return this; }

    /** What {@code git revert --no-edit [-m 1] reverted} does on {@code tip}. */
    public Outcome revert(RevCommit reverted, RevCommit tip) throws IOException, InterruptedException {
        long start = System.nanoTime();
        if (reverted.getParentCount() == 0) {
            throw new IOException("cannot revert " + reverted.name() + ": it is a root commit");
        }
        // git older than 2.38 is found by trying: it refuses merge-tree's options (exit 129, a few ms), which costs
        // nothing where merge-tree works, unlike asking `git version` first (one more process on every run)
        Method m = method != null ? method : Method.MERGE_TREE;
        RevCommit mainline;
        try (RevWalk walk = new RevWalk(repo)) {
            mainline = walk.parseCommit(reverted.getParent(0));
            walk.parseHeaders(tip);
        }
        Path tmp = Files.createTempDirectory(TMP_PREFIX);
        try {
            Path objects = Files.createDirectories(tmp.resolve("objects"));
            Path work = Files.createDirectories(tmp.resolve("work"));
            Map<String, String> env = new HashMap<>();
            env.put("GIT_DIR", repo.getDirectory().getAbsolutePath());
            env.put("GIT_OBJECT_DIRECTORY", objects.toString());
            env.put("GIT_ALTERNATE_OBJECT_DIRECTORIES", objectsOf(repo).toString());
            Outcome o = m == Method.MERGE_TREE ? mergeTree(env, tmp, work, objects, reverted, mainline, tip) : null;
            if (o == null) {
                m = Method.WORKTREE;
                o = worktree(env, tmp, reverted, tip);
            }
            if (o.kind() == Kind.CLEAN && o.tree().equals(tip.getTree())) {
                o = new Outcome(Kind.EMPTY, null, List.of(), List.of(), m, 0);
            }
            if (o.kind() == Kind.CLEAN && keep) {
                migrate(objects, objectsOf(repo));
            }
            return new Outcome(o.kind(), o.tree(), o.conflicts(), o.messages(), m, System.nanoTime() - start);
        } finally {
            deleteTree(tmp);
        }
    }

    private Outcome mergeTree(Map<String, String> env, Path tmp, Path work, Path objects, RevCommit reverted,
                              RevCommit mainline, RevCommit tip) throws IOException, InterruptedException {
        ObjectId base = writeLoose(objects, commit(reverted.getTree(), null));
        ObjectId ours = writeLoose(objects, commit(tip.getTree(), base));
        ObjectId theirs = writeLoose(objects, commit(mainline.getTree(), base));
        checkOutAttributes(tip, work);
        env.put("GIT_WORK_TREE", work.toString());
        env.put("GIT_INDEX_FILE", tmp.resolve("index").toString()); // never the clone's index
        // attributes are read relative to the current directory: run inside the temporary work tree
        GitCli.Result r = git.run(work, env, List.of("-c", "core.hooksPath=/dev/null", "merge-tree", "--write-tree",
                "-z", "--name-only", ours.name(), theirs.name()));
        if (r.exit() == 129 && method == null) {
            return null; // a usage error: this git's merge-tree has no --write-tree (older than 2.38)
        }
        if (r.exit() != 0 && r.exit() != 1) {
            throw new IOException("git merge-tree failed (exit " + r.exit() + "): " + r.stderr().strip());
        }
        // <tree> NUL <conflicted path> NUL ... NUL NUL (<n> NUL <n paths> NUL <type> NUL <message> NUL)*
        String[] f = r.text().split("\0", -1);
        ObjectId tree = ObjectId.fromString(f[0].strip());
        if (r.exit() == 0) {
            return new Outcome(Kind.CLEAN, tree, List.of(), List.of(), Method.MERGE_TREE, 0);
        }
        // a path git had to move aside is named after its side, here a scaffolding commit: name it as git revert
        // does (HEAD, "parent of C")
        Map<String, String> labels = Map.of("~" + ours.name(), "~HEAD", "~" + theirs.name(),
                "~parent of " + reverted.abbreviate(7).name());
        Set<String> paths = new LinkedHashSet<>();
        int i = 1;
        for (; i < f.length && !f[i].isEmpty(); i++) {
            String p = f[i];
            for (Map.Entry<String, String> l : labels.entrySet()) {
                p = p.replace(l.getKey(), l.getValue());
            }
            paths.add(p);
        }
        List<String> messages = new ArrayList<>();
        // (git may append free text, e.g. its advice on submodules: the messages end at the first non-count)
        for (i++; i < f.length && f[i].strip().matches("\\d{1,6}"); ) {
            int n = Integer.parseInt(f[i].strip());
            int msg = i + n + 2;
            if (msg >= f.length) {
                break;
            }
            if (f[i + n + 1].startsWith("CONFLICT")) {
                String m = f[msg].strip().replace(ours.name(), "HEAD").replace(theirs.name(), "parent of "
                        + reverted.abbreviate(7).name());
                messages.add(m);
            }
            i = msg + 1;
        }
        return new Outcome(Kind.CONFLICT, null, new ArrayList<>(paths), messages, Method.MERGE_TREE, 0);
    }

    private Outcome worktree(Map<String, String> env, Path tmp, RevCommit reverted, RevCommit tip)
            throws IOException, InterruptedException {
        Path wt = tmp.resolve("worktree");
        Path gitDir = repo.getDirectory().toPath();
        Map<String, String> common = new HashMap<>(env);
        common.remove("GIT_DIR");
        GitCli.Result add = git.run(gitDir, common, List.of("--git-dir=" + gitDir, "-c", "core.hooksPath=/dev/null",
                "worktree", "add", "-f", "--detach", wt.toString(), tip.name()));
        if (!add.ok()) {
            throw new IOException("git worktree add failed: " + add.output().strip());
        }
        Path admin = adminDir(wt);
        try {
            List<String> cmd = new ArrayList<>(List.of("-c", "core.hooksPath=/dev/null", "revert", "--no-commit"));
            if (reverted.getParentCount() > 1) {
                cmd.addAll(List.of("-m", "1"));
            }
            cmd.add(reverted.name());
            GitCli.Result r = git.run(wt, common, cmd);
            if (r.ok()) {
                GitCli.Result tree = git.run(wt, common, List.of("write-tree"));
                if (!tree.ok()) {
                    throw new IOException("git write-tree failed: " + tree.output().strip());
                }
                return new Outcome(Kind.CLEAN, ObjectId.fromString(tree.line()), List.of(), List.of(),
                        Method.WORKTREE, 0);
            }
            GitCli.Result unmerged = git.run(wt, common, List.of("diff", "--name-only", "--diff-filter=U"));
            List<String> paths = unmerged.line().isEmpty() ? List.of() : List.of(unmerged.line().split("\n"));
            List<String> messages = r.output().lines().filter(l -> l.startsWith("CONFLICT")).toList();
            if (paths.isEmpty() && messages.isEmpty()) {
                throw new IOException("git revert failed without a conflict: " + r.output().strip());
            }
            return new Outcome(Kind.CONFLICT, null, paths, messages, Method.WORKTREE, 0);
        } finally {
            // never "git worktree prune": it drops every worktree whose folder is missing right now, also the
            // user's own on a drive that is not mounted (git gc waits gc.worktreePruneExpire, 3 months, for those)
            git.run(gitDir, common, List.of("--git-dir=" + gitDir, "worktree", "remove", "--force", wt.toString()));
            if (admin != null && Files.isDirectory(admin)) {
                deleteTree(admin);
            }
            removeLeftWorktrees(commonDir(repo));
        }
    }

    /** What a throw-away worktree's {@code .git} file points to: {@code <common dir>/worktrees/<name>}, or null. */
    private Path adminDir(Path wt) throws IOException {
        Path pointer = wt.resolve(Constants.DOT_GIT);
        if (!Files.isRegularFile(pointer)) {
            return null;
        }
        String line = Files.readString(pointer, StandardCharsets.UTF_8).strip();
        if (!line.startsWith("gitdir: ")) {
            return null;
        }
        Path admin = wt.resolve(line.substring("gitdir: ".length())).normalize();
        Path worktrees = commonDir(repo).resolve("worktrees");
        // (git writes the real path; the repository may have been opened through a symbolic link)
        return admin.getParent() != null && Files.isDirectory(admin)
                && Files.isSameFile(admin.getParent(), worktrees) ? admin : null;
    }

    /**
     * The administrative folders of throw-away worktrees a killed run left behind (their folder in the temporary
     * directory is gone), and only those: not one that is locked (git's own "initializing" lock while another run
     * adds it), not one whose folder exists (another run's, in use).
     */
    static void removeLeftWorktrees(Path commonDir) {
        Path worktrees = commonDir.resolve("worktrees");
        if (!Files.isDirectory(worktrees)) {
            return;
        }
        try (Stream<Path> s = Files.list(worktrees)) {
            for (Path admin : s.toList()) {
                Path gitdir = admin.resolve("gitdir");
                if (!Files.isRegularFile(gitdir) || Files.exists(admin.resolve("locked"))) {
                    continue;
                }
                String target = Files.readString(gitdir, StandardCharsets.UTF_8).strip();
                if (THROWAWAY.matcher(target).matches() && !Files.exists(Path.of(target))) {
                    deleteTree(admin);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a leftover costs only its few files; the revert itself is done
        }
    }

    /** The tip's {@code .gitattributes} files, where a checkout of the tip would put them. */
    private void checkOutAttributes(RevCommit tip, Path work) throws IOException {
        try (TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(tip.getTree());
            tw.setRecursive(true);
            tw.setFilter(PathSuffixFilter.create(Constants.DOT_GIT_ATTRIBUTES));
            while (tw.next()) {
                if (!tw.getNameString().equals(Constants.DOT_GIT_ATTRIBUTES)
                        || (tw.getRawMode(0) & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                    continue;
                }
                Path f = work.resolve(tw.getPathString());
                Files.createDirectories(f.getParent());
                Files.write(f, repo.open(tw.getObjectId(0)).getBytes());
            }
        }
    }

    private static byte[] commit(ObjectId tree, ObjectId parent) throws IOException {
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        if (parent != null) {
            c.setParentId(parent);
        }
        c.setAuthor(NOBODY);
        c.setCommitter(NOBODY);
        c.setMessage("gatekeeper: revert scaffolding\n");
        return c.build();
    }

    /** Writes a commit as a loose object (zlib of "commit LEN\0" + content), as git would. */
    private static ObjectId writeLoose(Path objects, byte[] content) throws IOException {
        ObjectId id;
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter()) {
            id = f.idFor(Constants.OBJ_COMMIT, content);
        }
        Path file = objects.resolve(id.name().substring(0, 2)).resolve(id.name().substring(2));
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(buf, new Deflater(Deflater.BEST_SPEED))) {
            z.write(Constants.encodedTypeString(Constants.OBJ_COMMIT));
            z.write(' ');
            z.write(Integer.toString(content.length).getBytes(StandardCharsets.US_ASCII));
            z.write(0);
            z.write(content);
        }
        Files.write(file, buf.toByteArray());
        return id;
    }

    /**
     * Moves the new loose objects into the repository: each copied under a temporary name in its folder, then
     * renamed, so a reader never sees half an object (git's own tmp_obj_ convention, which git gc cleans up).
     */
    private static void migrate(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path rel = from.relativize(f);
            if (rel.getNameCount() != 2 || rel.getName(0).toString().length() != 2) {
                throw new IOException("unexpected file in the temporary object store: " + rel);
            }
            Path dest = to.resolve(rel.toString());
            if (Files.exists(dest)) {
                continue;
            }
            Files.createDirectories(dest.getParent());
            Path part = dest.resolveSibling("tmp_obj_gatekeeper_" + Long.toHexString(System.nanoTime()));
            Files.copy(f, part);
            try {
                Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(part);
            } catch (AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(part);
                throw e;
            }
        }
    }

    private static Path objectsOf(Repository repo) throws IOException {
        return commonDir(repo).resolve("objects");
    }

    /** The repository's common git folder: where refs and objects live (a linked worktree has its own git dir). */
    static Path commonDir(Repository repo) throws IOException {
        Path gitDir = repo.getDirectory().toPath().toAbsolutePath();
        Path pointer = gitDir.resolve("commondir");
        return Files.isRegularFile(pointer) ? gitDir.resolve(Files.readString(pointer).strip()).normalize() : gitDir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; nothing in the repository depends on it
        }
    }
}
