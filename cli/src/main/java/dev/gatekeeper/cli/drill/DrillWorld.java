package dev.gatekeeper.cli.drill;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The drill's scratch world, built from nothing in a folder of its own and never touching a real repository: a bare
 * "server" repository with the gate installed (through the installer, so its self-test runs too), its pipeline and
 * break-glass secrets, and the environment every command of the drill runs with: its own HOME and config folder
 * (the host's {@code /etc/gatekeeper} policy or secrets must not change what a drill proves), no {@code GATEKEEPER_*}
 * variable of the caller's, fixed git identities, the distribution's own launcher.
 */
final class DrillWorld {
    static final String POLICY = String.join("\n",
            "# the drill's scratch policy",
            "version: 1",
            "repository: app",
            "protected:",
            "  - ref: refs/heads/main",
            "    howToLand: \"Open a pull request; the pipeline merges it and pushes main.\"",
            "alert:",
            "  on: [break-glass, policy-error]",
            "");

    final Path root;
    final Path server;
    final Path launcher;
    final Path pipelineSecret;
    final Path breakGlassSecret;
    final Map<String, String> env;

    private DrillWorld(Path root, Path launcher) throws IOException {
        this.root = root;
        this.server = root.resolve("server/app.git");
        this.launcher = launcher;
        this.pipelineSecret = server.resolve("gatekeeper/pipeline.secret");
        this.breakGlassSecret = server.resolve("gatekeeper/break-glass.secret");
        Map<String, String> e = new HashMap<>(System.getenv());
        e.keySet().removeIf(k -> k.startsWith("GATEKEEPER_") || k.startsWith("GIT_"));
        e.put("HOME", Files.createDirectories(root.resolve(".home")).toString());
        e.put("GATEKEEPER_CONFIG_DIR", Files.createDirectories(root.resolve(".etc-gatekeeper")).toString());
        e.put("GATEKEEPER_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        e.put("GIT_CONFIG_NOSYSTEM", "1");
        e.put("GIT_TERMINAL_PROMPT", "0");
        e.put("GIT_AUTHOR_NAME", "Drill");
        e.put("GIT_AUTHOR_EMAIL", "drill@gatekeeper.invalid");
        e.put("GIT_COMMITTER_NAME", "Drill");
        e.put("GIT_COMMITTER_EMAIL", "drill@gatekeeper.invalid");
        e.put("LC_ALL", "C");
        this.env = Map.copyOf(e);
    }

    /** Creates the server repository (main with a health file that says ok) and installs the gate. */
    static DrillWorld create(Path root, Path launcher, HookRuntime runtime)
            throws IOException, InterruptedException, GatekeeperException {
        DrillWorld w = new DrillWorld(root, launcher);
        Path seed = root.resolve("seed");
        w.must(root, "git", "init", "-q", "--initial-branch=main", seed.toString());
        Files.writeString(seed.resolve("health"), "ok\n", StandardCharsets.UTF_8);
        Files.writeString(seed.resolve("app.conf"), "mode=stable\n", StandardCharsets.UTF_8);
        w.must(seed, "git", "add", ".");
        w.must(seed, "git", "commit", "-q", "-m", "the service, healthy");
        Files.createDirectories(w.server.getParent());
        w.must(root, "git", "clone", "-q", "--bare", seed.toString(), w.server.toString());
        Path policy = Files.writeString(root.resolve("policy.yaml"), POLICY, StandardCharsets.UTF_8);
        for (HookInstaller.Result r : new HookInstaller().setRepositories(List.of(w.server)).setPolicy(policy)
                .setRuntime(runtime).setEnvironment(w.env).call()) {
            if (!r.ok()) {
                throw new IOException("installing the gate into the scratch repository failed: "
                        + r.problem().orElse("?"));
            }
        }
        writeSecret(w.pipelineSecret);
        writeSecret(w.breakGlassSecret);
        return w;
    }

    private static void writeSecret(Path file) throws IOException {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        Files.writeString(file, Base64.getEncoder().encodeToString(b) + "\n", StandardCharsets.UTF_8);
    }

    /** What a command printed (stdout and stderr apart) and how it ended. */
    record Run(int exit, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    Run run(Path dir, Map<String, String> extraEnv, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        try {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    Run git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return run(dir, Map.of(), cmd);
    }

    /** Runs git and fails the handle (with git's message) unless it exits 0; returns stdout, trimmed. */
    String must(Path dir, String... command) throws IOException, InterruptedException {
        Run r = run(dir, Map.of(), List.of(command));
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + r.exit() + "): "
                    + r.output().strip());
        }
        return r.stdout().strip();
    }

    /** {@code gatekeeper ARGS} through the distribution's launcher, as cron or a pipeline runs it. */
    Run gatekeeper(Path dir, Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        return run(dir, extraEnv, cmd);
    }

    /** A working clone of the server repository for one actor. */
    Path clone(String who) throws IOException, InterruptedException {
        Path dir = root.resolve(who);
        must(root, "git", "clone", "-q", server.toUri().toString(), dir.toString());
        return dir;
    }

    /** Pushes HEAD to main with a pipeline token minted for it, as the pipeline does. */
    void pipelinePush(Path clone) throws IOException, InterruptedException {
        String sha = must(clone, "git", "rev-parse", "HEAD");
        Run token = gatekeeper(clone, Map.of(), "token", "mint", "--repo", "app", "--ref", "refs/heads/main", "--sha",
                sha, "--secret-file", pipelineSecret.toString());
        if (token.exit() != 0) {
            throw new IOException("token mint failed: " + token.output().strip());
        }
        must(clone, "git", "push", "-q", "-o", "gatekeeper-token=" + token.stdout().strip(), "origin", "HEAD:main");
    }
}
