package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Repositories made with the real git binary, a fake java that records what the hook gave it, and a shell runner. */
final class Fixtures {
    private Fixtures() {}

    record Run(int exit, String stdout, String stderr) {}

    static Path bare(Path dir) throws IOException {
        git(dir.getParent(), "init", "-q", "--bare", dir.toString());
        return dir;
    }

    static Path clone(Path dir) throws IOException {
        git(dir.getParent(), "init", "-q", dir.toString());
        return dir;
    }

    static String git(Path cwd, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        Files.createDirectories(cwd);
        Run r = run(cmd, cwd, Map.of("GIT_CONFIG_NOSYSTEM", "1"), null);
        assertEquals(0, r.exit(), () -> "git " + String.join(" ", args) + ": " + r.stderr());
        return r.stdout().strip();
    }

    /** {@code git config --get key} in {@code gitDir}, or null when unset. */
    static String config(Path gitDir, String key) throws IOException {
        Run r = run(List.of("git", "config", "--get", key), gitDir, Map.of("GIT_CONFIG_NOSYSTEM", "1"), null);
        return r.exit() == 0 ? r.stdout().strip() : null;
    }

    /**
     * A runtime whose "java" is a shell script writing its arguments, stdin, GIT_CONFIG_NOSYSTEM and the first push
     * option into
     * {@code dir/java.*} and exiting with $FAKE_GATE_EXIT (default 0); the class path is one empty "jar".
     */
    static HookRuntime fakeRuntime(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path java = script(dir.resolve("java"), "#!/bin/sh\n"
                + "d=" + HookScript.quote(dir.toString()) + "\n"
                + "printf '%s\\n' \"$@\" >\"$d/java.args\"\n"
                + "cat >\"$d/java.stdin\"\n"
                + "printf '%s\\n' \"${GIT_CONFIG_NOSYSTEM-unset}\" >\"$d/java.env\"\n"
                + "printf '%s\\n' \"${GIT_PUSH_OPTION_0-none}\" >\"$d/java.pushoption\"\n"
                + "echo 'fake gate ran' >&2\n"
                + "exit \"${FAKE_GATE_EXIT:-0}\"\n");
        Path jar = dir.resolve("gatekeeper-hooks.jar");
        Files.write(jar, new byte[0]);
        return new HookRuntime(java, List.of(jar), HookRuntime.defaultJvmOptions(Optional.empty()),
                Optional.empty());
    }

    /**
     * A jar (a real zip) holding an entry named as the hook's main class, which is what makes a file a Gatekeeper
     * hook jar for the script's and {@link HookRuntime#fallbackJar}'s checks.
     */
    static Path hookJar(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new java.util.zip.ZipEntry(HookScript.JAR_ENTRY));
            zip.write(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
            zip.closeEntry();
        }
        return file;
    }

    /** A hook recording what it got into {@code dir/chained.*}, exiting with $FAKE_CHAINED_EXIT (default 0). */
    static String recordingHook(Path dir) {
        return "#!/bin/sh\n"
                + "d=" + HookScript.quote(dir.toString()) + "\n"
                + "printf '%s\\n' \"$@\" >\"$d/chained.args\"\n"
                + "cat >\"$d/chained.stdin\"\n"
                + "printf '%s\\n' \"${GIT_CONFIG_NOSYSTEM-unset}\" >\"$d/chained.env\"\n"
                + "exit \"${FAKE_CHAINED_EXIT:-0}\"\n";
    }

    static Path script(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        InstallFiles.setMode(file, "0755");
        return file;
    }

    /** Runs {@code sh script args} the way git runs a hook: in {@code cwd}, with {@code stdin} as its input. */
    static Run sh(Path script, Path cwd, String stdin, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, cwd, env, stdin);
    }

    static Run run(List<String> cmd, Path cwd, Map<String, String> env, String stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        // The build sets GIT_CONFIG_NOSYSTEM for every test; hooks must be seen with git's own environment.
        pb.environment().remove("GIT_CONFIG_NOSYSTEM");
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException closedEarly) {
            // the process did not read its input; that is for the test to judge
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Run(p.exitValue(), out.get(), err.get());
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                s.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
