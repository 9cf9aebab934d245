package dev.gatekeeper.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.storage.file.FileBasedConfig;

/**
 * Finds git directories by looking at files, the way git itself recognises them, without opening a repository.
 */
public final class GitRepositories {
    private GitRepositories() {}

    /** The repositories found under a folder, and the folders that could not be searched (a repository may hide there). */
    public record Scan(List<Path> repositories, List<String> problems) {}

    /** Whether {@code dir} has what git requires of a git directory: HEAD, objects/ and refs/. */
    public static boolean isGitDir(Path dir) {
        return Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"))
                && Files.isDirectory(dir.resolve("refs"));
    }

    /**
     * Whether the git directory is bare: {@code core.bare} when set; otherwise, like git, bare unless it is a
     * {@code .git} folder or names a work tree.
     */
    public static boolean isBare(Path gitDir) {
        try {
            FileBasedConfig cfg = RepoConfig.load(gitDir);
            String bare = cfg.getString("core", null, "bare");
            if (bare != null) {
                return cfg.getBoolean("core", "bare", false);
            }
            return cfg.getString("core", null, "worktree") == null
                    && !".git".equals(String.valueOf(gitDir.toAbsolutePath().normalize().getFileName()));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The git directory of a repository given as its git directory or as a work tree (with a {@code .git} folder or
     * a {@code gitdir:} file; for a linked work tree, the common directory, where hooks and config live).
     *
     * @return empty when {@code path} is not a repository
     */
    public static Optional<Path> gitDirOf(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (isGitDir(p)) {
            return Optional.of(common(p));
        }
        Path dotGit = p.resolve(".git");
        if (Files.isDirectory(dotGit) && isGitDir(dotGit)) {
            return Optional.of(common(dotGit));
        }
        if (Files.isRegularFile(dotGit)) {
            try {
                String line = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
                if (line.startsWith("gitdir:")) {
                    Path target = p.resolve(line.substring("gitdir:".length()).trim()).normalize();
                    if (isGitDir(target) || Files.isRegularFile(target.resolve("commondir"))) {
                        return Optional.of(common(target));
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Path common(Path gitDir) {
        Path commondir = gitDir.resolve("commondir");
        if (Files.isRegularFile(commondir)) {
            try {
                String c = Files.readString(commondir, StandardCharsets.UTF_8).trim();
                if (!c.isEmpty()) {
                    return gitDir.resolve(c).normalize();
                }
            } catch (IOException e) {
                // fall back to the directory itself; its hooks/ is what a broken commondir leaves git with too
            }
        }
        return gitDir;
    }

    /**
     * Every bare repository under {@code root} (and {@code root} itself if it is one), sorted. Does not descend
     * into git directories (a repository's objects are no place for another) nor follow symbolic links (no
     * cycles, no repository counted twice). Work trees are searched, but their own git directory is skipped.
     */
    public static Scan findBare(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Files.walkFileTree(root.toAbsolutePath().normalize(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (isGitDir(dir)) {
                    if (isBare(dir)) {
                        found.add(dir);
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                problems.add("cannot search " + file + ": " + exc.getClass().getSimpleName()
                        + (exc.getMessage() == null ? "" : ": " + exc.getMessage()));
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.naturalOrder());
        return new Scan(List.copyOf(found), List.copyOf(problems));
    }
}
