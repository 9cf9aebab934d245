package dev.gatekeeper.drift;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookRuntime;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.verify.Git;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Real repositories for drift tests: a bare "server" with a policy protecting main, a developer clone that seeded
 * it, and a deployed "prod" checkout. Every git, the test's and the scanner's, runs with an isolated HOME.
 */
final class DriftWorld {
    static final String POLICY = "version: 1\nprotected:\n  - ref: refs/heads/main\n";

    final Path root;
    final Git git;
    final Path server;
    final Path dev;
    final Path prod;
    final Path state;

    DriftWorld(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("server"));
        this.git = new Git(root.resolve("home"));
        this.server = git.bare(root.resolve("server/app.git"));
        this.dev = git.seededClone(server.toUri().toString(), root.resolve("dev"));
        this.prod = git.clone(server.toUri().toString(), root.resolve("prod"));
        this.state = root.resolve("state/drift-state.json");
        write(prod.resolve(".gitignore"), "*.log\n");
        git.git(prod, "add", ".gitignore");
        git.git(prod, "commit", "-q", "-m", "ignore logs");
        git.git(prod, "push", "-q", "origin", "HEAD:main");
    }

    /** The gate's view: a policy, and an audit log in which every current tip of main was an allowed push. */
    void gateKnowsCurrentTips() throws IOException {
        write(server.resolve("gatekeeper/policy.yaml"), POLICY);
        String tip = git.git(server, "rev-parse", "refs/heads/main");
        new EventLog(server.resolve("gatekeeper/events.jsonl"), 1 << 20, 2).append(Event.of(EventType.PUSH_ALLOWED)
                .ref("refs/heads/main").oldId("0".repeat(40)).newId(tip).proof("token:tok-test").decision("allowed")
                .build());
    }

    /** Installs the hooks with a runtime whose "java" is a script that lets every push through. */
    void installHooks() throws Exception {
        Path rt = Files.createDirectories(root.resolve("runtime"));
        Path java = rt.resolve("java");
        write(java, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = rt.resolve("gatekeeper-hook.jar");
        Files.write(jar, new byte[0]);
        HookRuntime runtime = new HookRuntime(java, List.of(jar), HookRuntime.defaultJvmOptions(Optional.empty()),
                Optional.empty());
        for (HookInstaller.Result r : new HookInstaller().setSelfTest(false).setRepositories(List.of(server)).setRuntime(runtime)
                .call()) {
            if (!r.ok()) {
                throw new AssertionError(r.problem());
            }
        }
    }

    DriftScan scan(Target... targets) {
        return new DriftScan().setTargets(List.of(targets)).setStateFile(state).setParallel(4).setHookSelfTest(false)
                .setEnv(git.env());
    }

    /** Every file of a working tree except .git, path to bytes. */
    static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = dir.relativize(p);
                if (rel.toString().isEmpty() || rel.startsWith(".git") || !Files.isRegularFile(p)) {
                    continue;
                }
                out.put(rel.toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p))
                        + (Files.isExecutable(p) ? "+x" : ""));
            }
        }
        return out;
    }

    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A notifier that remembers what it was asked to send. */
    static final class Recording implements Notifier {
        final List<Alert> sent = new ArrayList<>();

        @Override
        public synchronized void send(Alert alert) {
            sent.add(alert);
        }

        @Override
        public String describe() {
            return "recording";
        }
    }
}
