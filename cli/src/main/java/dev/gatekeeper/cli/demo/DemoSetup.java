package dev.gatekeeper.cli.demo;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The demo's world: a scratch folder with a bare "server" repository (hooks installed) and clones of it. */
final class DemoSetup {
    private final DemoShell sh;
    private final Path root;
    private final Path server;

    private DemoSetup(DemoShell sh, Path root) {
        this.sh = sh;
        this.root = root;
        this.server = root.resolve("server/app.git");
    }

    /** Creates the server repository with the chapter-1 policy and installs the gate with {@code runtime}. */
    static DemoSetup create(DemoShell sh, Path root, HookRuntime runtime)
            throws IOException, InterruptedException, GatekeeperException {
        DemoSetup s = new DemoSetup(sh, root);
        Files.createDirectories(s.server.getParent());
        sh.quiet(root, "git", "init", "-q", "--bare", "--initial-branch=main", s.server.toString());
        Path policy = root.resolve("policy.yaml");
        Files.writeString(policy, PushGateChapter.POLICY, StandardCharsets.UTF_8);
        List<HookInstaller.Result> results = new HookInstaller().setRepositories(List.of(s.server))
                .setPolicy(policy).setRuntime(runtime).call();
        for (HookInstaller.Result r : results) {
            if (!r.ok()) {
                throw new IOException("installing the hooks failed: " + r.problem().orElse("?"));
            }
        }
        return s;
    }

    Path serverRepo() {
        return server;
    }

    Path root() {
        return root;
    }

    /** A working clone for one actor. */
    Path clone(String who) throws IOException, InterruptedException {
        Path dir = root.resolve(who);
        sh.quiet(root, "git", "clone", "-q", server.toUri().toString(), dir.toString());
        sh.quiet(dir, "git", "config", "user.name", who);
        sh.quiet(dir, "git", "config", "user.email", who + "@example.invalid");
        return dir;
    }
}
