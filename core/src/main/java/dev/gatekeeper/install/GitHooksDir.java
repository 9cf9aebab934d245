package dev.gatekeeper.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where git itself runs a repository's hooks, asked of git: {@code git rev-parse --git-path hooks} honours
 * {@code core.hooksPath} from every config git reads (system, the owner's global, the repository's, includes), which
 * reading the repository's own config file misses. A server-wide {@code core.hooksPath} in {@code /etc/gitconfig}
 * or in the git account's {@code ~/.gitconfig} silently steers git away from {@code hooks/}.
 *
 * <p>Git is asked with the owner's home (as the git server runs it) and {@code -c safe.directory=} naming exactly
 * this repository, so root or a scanner can ask about a repository it does not own.
 */
public final class GitHooksDir {
    /** Variables that would make git look at another repository than the one named. */
    static final List<String> REPOSITORY_VARIABLES = List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
            "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX",
            "GIT_QUARANTINE_PATH", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT");

    private GitHooksDir() {}

    /**
     * @param dir the folder git runs the hooks from
     * @param hooksPath the {@code core.hooksPath} value that chose it, or null when git uses {@code $GIT_DIR/hooks}
     * @param origin where that value is set ({@code file:/etc/gitconfig}), or null
     */
    public record Where(Path dir, String hooksPath, String origin) {
        /** Whether it is the repository's own {@code hooks/} folder. */
        public boolean isOwnHooks(Path gitDir) {
            return dir.equals(gitDir.toAbsolutePath().normalize().resolve("hooks"));
        }

        /** Whether other repositories may share it (it lies outside this git directory). */
        public boolean shared(Path gitDir) {
            return !dir.startsWith(gitDir.toAbsolutePath().normalize());
        }

        /** "core.hooksPath = X (set in file:/etc/gitconfig)", for messages. */
        public String describe() {
            return "core.hooksPath = " + hooksPath + (origin == null ? "" : " (set in " + origin + ")");
        }
    }

    /** Where git runs the hooks of the bare repository {@code gitDir}, with {@code owner}'s configuration. */
    public static Where of(Path gitDir, Owner owner) throws IOException {
        return of(gitDir, owner, Map.of());
    }

    /**
     * @param env when the owner is this process's user, where the server's config is read from ({@code HOME},
     *     {@code XDG_CONFIG_HOME}, {@code GIT_CONFIG_GLOBAL}, {@code GIT_CONFIG_NOSYSTEM}, over this process's)
     */
    public static Where of(Path gitDir, Owner owner, Map<String, String> env) throws IOException {
        Path abs = gitDir.toAbsolutePath().normalize();
        String out = git(abs, owner, env, "rev-parse", "--git-path", "hooks");
        Path dir = abs.resolve(out.strip()).normalize();
        String hooksPath = null;
        String origin = null;
        if (!dir.equals(abs.resolve("hooks"))) {
            String shown = gitOrNull(abs, owner, env, "config", "--show-origin", "--get", "core.hooksPath");
            if (shown != null && shown.contains("\t")) {
                origin = shown.substring(0, shown.indexOf('\t')).strip();
                hooksPath = shown.substring(shown.indexOf('\t') + 1).strip();
            } else {
                hooksPath = dir.toString();
            }
        }
        return new Where(dir, hooksPath, origin);
    }

    /** The value of {@code key} as git reads it for this repository (all config files), or null when unset. */
    static String config(Path gitDir, Owner owner, String key) throws IOException {
        String v = gitOrNull(gitDir.toAbsolutePath().normalize(), owner, Map.of(), "config", "--get", key);
        return v == null ? null : v.strip();
    }

    private static String gitOrNull(Path gitDir, Owner owner, Map<String, String> env, String... args)
            throws IOException {
        try {
            return git(gitDir, owner, env, args);
        } catch (GitFailed e) {
            return null;
        }
    }

    /** Thrown when git ran and exited non-zero (an unset key, say), as opposed to git not running at all. */
    static final class GitFailed extends IOException {
        GitFailed(String message) {
            super(message);
        }
    }

    /** The {@code -c safe.directory=} words naming exactly this folder (as given and as its real path). */
    public static List<String> safeDirectory(Path dir) {
        List<String> words = new ArrayList<>();
        Path abs = dir.toAbsolutePath().normalize();
        words.add("-c");
        words.add("safe.directory=" + abs);
        try {
            Path real = abs.toRealPath();
            if (!real.equals(abs)) {
                words.add("-c");
                words.add("safe.directory=" + real);
            }
        } catch (IOException e) {
            // the folder is gone: git will say so itself
        }
        return words;
    }

    static String git(Path gitDir, Owner owner, Map<String, String> serverEnv, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(safeDirectory(gitDir));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(gitDir.toFile());
        Map<String, String> env = pb.environment();
        REPOSITORY_VARIABLES.forEach(env::remove);
        env.keySet().removeIf(k -> k.startsWith("GIT_CONFIG_KEY_") || k.startsWith("GIT_CONFIG_VALUE_"));
        if (owner.isCurrentUser()) {
            for (String k : List.of("HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")) {
                if (serverEnv.get(k) != null) {
                    env.put(k, serverEnv.get(k));
                }
            }
        } else {
            // the git server runs as the owner: its global config is the owner's, not ours
            Optional<Path> home = owner.home();
            if (home.isPresent()) {
                env.put("HOME", home.get().toString());
            }
            env.remove("XDG_CONFIG_HOME");
            env.remove("GIT_CONFIG_GLOBAL");
        }
        env.put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("git could not be started: " + e.getMessage(), e);
        }
        // git's messages are a few lines: read stdout, then stderr (a pipe holds far more than that)
        try (InputStream in = p.getInputStream(); InputStream err = p.getErrorStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            String errors = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " timed out in " + gitDir);
            }
            if (p.exitValue() != 0) {
                throw new GitFailed("git " + String.join(" ", args) + " failed in " + gitDir + ": " + errors.strip());
            }
            return buf.toString(StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroy();
        }
    }
}
