package dev.gatekeeper.gate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Symbolic refs asked of {@code git symbolic-ref --no-recurse} one level at a time: for ref backends whose refs are
 * not files (reftable). One process per level, so only where the files cannot be read directly.
 */
final class GitSymbolicRefs extends SymbolicRefs {
    private static final long TIMEOUT_SECONDS = 30;
    private static final List<String> PASSED_ON = List.of("PATH", "HOME", "GIT_CONFIG_NOSYSTEM");

    private final Path gitDir;
    private final Map<String, String> env;

    GitSymbolicRefs(Path gitDir, Map<String, String> env, String namespace) {
        super(namespace);
        this.gitDir = gitDir;
        this.env = env;
    }

    @Override
    Target read(String storageName) {
        ProcessBuilder pb = new ProcessBuilder("git", "symbolic-ref", "--no-recurse", "--quiet", storageName)
                .directory(gitDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> e = pb.environment();
        e.clear();
        for (String name : PASSED_ON) {
            String v = env.get(name);
            if (v != null) {
                e.put(name, v);
            }
        }
        e.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("GIT_DIR", gitDir.toString());
        try {
            Process p = pb.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(MAX_REF_FILE), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Target.broken("git symbolic-ref timed out");
            }
            switch (p.exitValue()) {
                case 0:
                    return out.isEmpty() ? Target.broken("an empty symbolic ref") : Target.symbolic(out);
                case 1:
                    return Target.notSymbolic();
                default:
                    return Target.broken("git symbolic-ref exited with " + p.exitValue());
            }
        } catch (IOException e1) {
            return Target.broken("cannot run git symbolic-ref (" + e1.getClass().getSimpleName() + ")");
        } catch (InterruptedException e1) {
            Thread.currentThread().interrupt();
            return Target.broken("interrupted");
        }
    }
}
