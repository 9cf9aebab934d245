package dev.gatekeeper.cli.e2e;

import dev.gatekeeper.cli.demo.HealthService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The world stabilize runs in, as the stabilize tests build it: a bare server repository {@code app} with the
 * distribution's push gate installed (main protected, a pipeline secret), a working clone whose first commits (the
 * health file, {@code app.conf}, and any {@code files} given) reached main through the gate with a pipeline token, a
 * deployed checkout of main and the real HTTP service on 127.0.0.1 whose health depends on its deployed file.
 */
final class GatedApp implements AutoCloseable {
    final Map<String, String> env;
    final Git git;
    final Dist dist;
    final GitServer server;
    final Path secret;
    final Path work;
    final Path deployed;
    final HealthService service;

    /** @param files more first commits on main: path, content, path, content, … */
    GatedApp(Path root, String... files) throws IOException {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        secret = server.writeSecret("pipeline.secret");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        git.commit(work, HealthService.FILE, "ok\n", "health file");
        git.commit(work, "app.conf", "mode=stable\nport=8080\n", "config");
        for (int i = 0; i < files.length; i += 2) {
            git.commit(work, files[i], files[i + 1], files[i]);
        }
        pushThroughGate(work);
        deployed = git.cloneInto(server.fileUrl(), root.resolve("deployed"));
        service = new HealthService(deployed);
    }

    /** The pipeline pushes {@code clone}'s HEAD to main: a token minted for this very commit, checked by the gate. */
    void pushThroughGate(Path clone) {
        String token = dist.mint(clone, "app", "refs/heads/main", git.head(clone), secret);
        git.push(clone, List.of("gatekeeper-token=" + token), "origin", "HEAD:main").expectOk();
    }

    /** The deploy: the deployed checkout pulls main. */
    void deploy() {
        git.ok(deployed, "pull", "-q", "--ff-only");
    }

    @Override
    public void close() {
        service.close();
    }
}
