package dev.gatekeeper.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Finds the repository a hook runs for, cheaply: reading files instead of opening a JGit repository. */
final class GitDirs {
    private GitDirs() {}

    /** Server hooks run with the bare repository as working directory; git sets GIT_DIR (often to "."). */
    static Path serverGitDir(Map<String, String> env) {
        String dir = env.get("GIT_DIR");
        return Path.of(dir == null || dir.isEmpty() ? "." : dir).toAbsolutePath().normalize();
    }

    /** Refuse to judge (and to write an audit log into) a folder that is not a repository. */
    static boolean isGitDir(Path dir) {
        return Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"))
                && Files.isDirectory(dir.resolve("refs"));
    }

    /** Client hooks run at the top of the work tree; {@code .git} may be a directory or a "gitdir:" file. */
    static Path clientGitDir(Map<String, String> env) throws IOException {
        String dir = env.get("GIT_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir).toAbsolutePath().normalize();
        }
        Path dotGit = Path.of(".git").toAbsolutePath();
        if (Files.isRegularFile(dotGit)) {
            String line = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
            if (line.startsWith("gitdir:")) {
                Path target = Path.of(line.substring("gitdir:".length()).trim());
                return (target.isAbsolute() ? target : dotGit.getParent().resolve(target)).normalize();
            }
        }
        return dotGit.normalize();
    }

    /**
     * A linked work tree's git directory ({@code .git/worktrees/NAME}) names the repository's common directory in
     * {@code commondir}; the policy and the installed hooks live there.
     */
    static Path commonDir(Path gitDir) throws IOException {
        Path pointer = gitDir.resolve("commondir");
        if (!Files.isRegularFile(pointer)) {
            return gitDir;
        }
        Path common = Path.of(Files.readString(pointer, StandardCharsets.UTF_8).trim());
        return (common.isAbsolute() ? common : gitDir.resolve(common)).normalize();
    }

    /** The full ref HEAD names, or null when HEAD is detached. */
    static String currentBranch(Path gitDir) throws IOException {
        String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).trim();
        return head.startsWith("ref: ") ? head.substring(5).trim() : null;
    }
}
