package dev.gatekeeper.gate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fast-forward check with the {@code git} binary that is running the hook. Inside pre-receive this is the
 * cheapest correct answer: git is there by definition, it sees the quarantined objects through the environment it
 * gave us, and it answers in milliseconds, where opening a JGit repository in a fresh JVM costs the push 150 ms or
 * more (measured: see bench/README.md). {@link JGitAncestry} remains for callers without a git binary.
 */
public final class GitCliAncestry implements Ancestry {
    /** A hook that hangs holds the push (and git's lock) hostage; no ancestry question takes this long. */
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> PASSED_ON = List.of("GIT_DIR", "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH", "GIT_CONFIG_NOSYSTEM", "PATH", "HOME");

    private final Path gitDir;
    private final Map<String, String> env;

    public GitCliAncestry(Path gitDir, Map<String, String> env) {
        this.gitDir = gitDir;
        this.env = env;
    }

    @Override
    public boolean isFastForward(String oldId, String newId) throws IOException {
        if (oldId.equals(newId)) {
            return true;
        }
        String[] types = types(oldId, newId);
        if (!"commit".equals(types[0]) || !"commit".equals(types[1])) {
            // a moved annotated tag, or a ref pointing at a tree or blob: a rewrite, never a fast-forward
            return false;
        }
        int rc = run(List.of("git", "merge-base", "--is-ancestor", oldId, newId), null).exitCode;
        if (rc == 0) {
            return true;
        }
        if (rc == 1) {
            return false;
        }
        throw new IOException("git merge-base --is-ancestor exited with " + rc);
    }

    /** One {@code git cat-file --batch-check} for both objects. */
    private String[] types(String oldId, String newId) throws IOException {
        Result r = run(List.of("git", "cat-file", "--batch-check=%(objecttype)"), oldId + "\n" + newId + "\n");
        String[] lines = r.output.split("\n");
        if (r.exitCode != 0 || lines.length < 2) {
            throw new IOException("git cat-file failed (exit " + r.exitCode + ")");
        }
        for (String line : lines) {
            if (line.endsWith(" missing")) {
                throw new IOException("object " + line.substring(0, line.indexOf(' ')) + " is missing");
            }
        }
        return new String[] {lines[0].trim(), lines[1].trim()};
    }

    private record Result(int exitCode, String output) {}

    private Result run(List<String> command, String input) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(gitDir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> childEnv = pb.environment();
        childEnv.clear();
        for (String name : PASSED_ON) {
            String v = env.get(name);
            if (v != null) {
                childEnv.put(name, v);
            }
        }
        childEnv.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        childEnv.put("GIT_DIR", gitDir.toString());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        try {
            if (input != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.US_ASCII));
                }
            }
            String output;
            try (InputStream out = p.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(1) + " timed out");
            }
            return new Result(p.exitValue(), output);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
