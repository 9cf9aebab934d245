package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A packaged distribution (the Debian package) has {@code hook-registry}, a link to a folder outside it: {@code hooks
 * install} records each repository there and {@code hooks uninstall} forgets it, so the package's prerm can take the
 * hooks out before it deletes the runtime they name. The plain tarball has no registry and records nothing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HookRegistryIT {

    @Test
    void installRecordsEveryRepositoryAndUninstallForgetsIt(@TempDir Path root) throws Exception {
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Path home = copyOfTheDistribution(root.resolve("usr-share-gatekeeper"));
        Path registry = Files.createDirectories(root.resolve("var-lib-gatekeeper-hooks"));
        Files.createSymbolicLink(home.resolve("hook-registry"), registry);
        GitServer app = GitServer.create(git, root.resolve("srv"), "app");
        GitServer web = GitServer.create(git, root.resolve("srv"), "web");
        Path policy = Policies.standard(root.resolve("policies"));

        Proc.Result install = gatekeeper(home, env, root, "hooks", "install", "--no-cds", "--policy",
                policy.toString(), "--all", root.resolve("srv").toString()).expectOk();

        assertContains(install, "recorded in " + registry);
        assertEquals(List.of(app.gitDir().toRealPath() + "\n", web.gitDir().toRealPath() + "\n"),
                entries(registry), install.describe());

        gatekeeper(home, env, root, "hooks", "uninstall", app.gitDir().toString()).expectOk();

        assertEquals(List.of(web.gitDir().toRealPath() + "\n"), entries(registry));
    }

    @Test
    void theTarballWithoutARegistryRecordsNothingAndSaysNothingAboutIt(@TempDir Path root) throws Exception {
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        GitServer app = GitServer.create(git, root.resolve("srv"), "app");
        Path policy = Policies.standard(root.resolve("policies"));

        Proc.Result install = new Dist(env).run(root, "hooks", "install", "--no-cds", "--policy", policy.toString(),
                app.gitDir().toString()).expectOk();

        assertTrue(!install.stdout().contains("recorded in") && !install.stderr().contains("WARNING"),
                install.describe());
    }

    @Test
    void aRegistryLinkToAFolderThatIsGoneIsAWarningNotASilentGap(@TempDir Path root) throws Exception {
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Path home = copyOfTheDistribution(root.resolve("usr-share-gatekeeper"));
        Files.createSymbolicLink(home.resolve("hook-registry"), root.resolve("deleted"));
        GitServer app = GitServer.create(git, root.resolve("srv"), "app");
        Path policy = Policies.standard(root.resolve("policies"));

        Proc.Result install = gatekeeper(home, env, root, "hooks", "install", "--no-cds", "--policy",
                policy.toString(), app.gitDir().toString()).expectOk();

        assertTrue(install.stderr().contains("WARNING") && install.stderr().contains("links to a folder that is gone")
                && install.stderr().contains("will not uninstall"), install.describe());
    }

    private static Proc.Result gatekeeper(Path home, Map<String, String> env, Path cwd, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/gatekeeper").toString()));
        cmd.addAll(List.of(args));
        return Proc.run(cwd, env, null, Proc.DEFAULT_TIMEOUT, cmd);
    }

    /** bin/ and lib/ of the built distribution, copied with their modes (the registry link is the test's own). */
    private static Path copyOfTheDistribution(Path target) throws IOException {
        Path source = Dist.home();
        for (String part : List.of("bin", "lib")) {
            try (Stream<Path> s = Files.walk(source.resolve(part))) {
                for (Path p : s.toList()) {
                    Path t = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else if (!p.getFileName().toString().endsWith(".jsa")) {
                        Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        return target;
    }

    private static List<String> entries(Path registry) throws IOException {
        try (Stream<Path> s = Files.list(registry)) {
            return s.map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }
}
