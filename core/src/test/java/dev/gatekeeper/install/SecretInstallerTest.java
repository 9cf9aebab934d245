package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code token new-secret --install}: where each secret goes, with which mode, and never over one by accident. */
class SecretInstallerTest {
    @TempDir
    Path tmp;

    @Test
    void thePipelineSecretGoesWhereThePolicyReadsItMode0600AndIsNeverReplacedUnasked() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Map<String, String> env = Map.of("GATEKEEPER_CONFIG_DIR", etc.toString());

        SecretInstaller.Result r = new SecretInstaller().setRepository(repo).setEnvironment(env).call();

        Path file = repo.resolve("gatekeeper/pipeline.secret");
        assertEquals(file, r.file());
        assertEquals(r.secret() + "\n", Files.readString(file));
        assertTrue(r.secret().matches("[A-Za-z0-9+/]{43}="), r.secret());
        assertEquals("0600", InstallFiles.modeOf(file));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("not installed here yet")), r.notes().toString());

        GatekeeperException again = assertThrows(GatekeeperException.class,
                () -> new SecretInstaller().setRepository(repo).setEnvironment(env).call());
        assertEquals(ExitCode.USAGE, again.exitCode());
        assertTrue(again.getMessage().contains("--rotate"), again.getMessage());
        SecretInstaller.Result rotated = new SecretInstaller().setRepository(repo).setEnvironment(env)
                .setRotate(true).call();
        assertNotEquals(r.secret(), rotated.secret());

        // a policy that names another secret file: that is where the gate reads it
        Files.writeString(repo.resolve("gatekeeper/policy.yaml"), "version: 1\nidentity:\n  token:\n"
                + "    secretFile: ci/pipeline.key\nprotected:\n  - ref: refs/heads/main\n");
        SecretInstaller.Result named = new SecretInstaller().setRepository(repo).setEnvironment(env).call();
        assertEquals(repo.resolve("gatekeeper/ci/pipeline.key").toAbsolutePath().normalize(), named.file());

        SecretInstaller.Result bg = new SecretInstaller().setRepository(repo).setEnvironment(env)
                .setKind(SecretInstaller.Kind.BREAK_GLASS).call();
        assertEquals(repo.resolve("gatekeeper/break-glass.secret"), bg.file());
        assertEquals("0600", InstallFiles.modeOf(bg.file()));
    }
}
