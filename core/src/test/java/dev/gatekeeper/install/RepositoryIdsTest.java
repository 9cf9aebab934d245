package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.identity.RecordedRepositoryId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryIdsTest {
    @TempDir Path tmp;

    private Path repo(String rel) throws Exception {
        return Files.createDirectories(tmp.resolve(rel)).toAbsolutePath().normalize();
    }

    @Test
    void underAnAllRootEachRepositoryIsItsPathAndACopiedPolicyNameIsNotUsed() throws Exception {
        Path a = repo("srv/team1/app.git");
        Path b = repo("srv/team2/app.git");
        Map<Path, RepositoryIds.Planned> p = RepositoryIds.plan(List.of(a, b), tmp.resolve("srv"), null,
                Optional.of("app"));
        assertEquals("team1/app", p.get(a).id());
        assertEquals("team2/app", p.get(b).id());
        assertTrue(p.get(a).note().contains("repository: 'app' is not used"), p.get(a).note());
    }

    @Test
    void oneRepositoryTakesTheOptionThenThePolicyThenTheFolder() throws Exception {
        Path a = repo("srv/app.git");
        assertEquals("x/y", RepositoryIds.plan(List.of(a), null, "x/y", Optional.of("web")).get(a).id());
        assertEquals("web", RepositoryIds.plan(List.of(a), null, null, Optional.of("web")).get(a).id());
        assertEquals("app", RepositoryIds.plan(List.of(a), null, null, Optional.empty()).get(a).id());
    }

    @Test
    void aRecordedIdIsKeptUnlessTheOptionReplacesIt() throws Exception {
        Path a = repo("srv/team1/app.git");
        RecordedRepositoryId.write(a, "app");
        RepositoryIds.Planned kept = RepositoryIds.plan(List.of(a), tmp.resolve("srv"), null, Optional.empty()).get(a);
        assertNull(kept.id());
        assertTrue(kept.note().contains("would have given 'team1/app'"), kept.note());
        RepositoryIds.Planned replaced = RepositoryIds.plan(List.of(a), null, "team1/app", Optional.empty()).get(a);
        assertEquals("team1/app", replaced.id());
        assertTrue(replaced.note().contains("(was app)"), replaced.note());
    }

    @Test
    void noInstallGivesTwoRepositoriesOneId() throws Exception {
        Path a = repo("srv/team1/app.git");
        Path b = repo("srv/team2/app.git");
        GatekeeperException sameFolder = assertThrows(GatekeeperException.class,
                () -> RepositoryIds.plan(List.of(a, b), null, null, Optional.empty()));
        assertEquals(ExitCode.USAGE, sameFolder.exitCode());
        assertTrue(sameFolder.getMessage().contains("'app' for"), sameFolder.getMessage());
        assertThrows(GatekeeperException.class, () -> RepositoryIds.plan(List.of(a, b), null, null,
                Optional.of("web")), "a policy's repository: for two repositories");
        assertThrows(GatekeeperException.class, () -> RepositoryIds.plan(List.of(a), tmp.resolve("srv"), "x",
                Optional.empty()), "--repository-id with --all");
        assertThrows(GatekeeperException.class, () -> RepositoryIds.plan(List.of(a, b), null, "x",
                Optional.empty()));
        assertThrows(GatekeeperException.class, () -> RepositoryIds.plan(List.of(a), null, "bad\nid",
                Optional.empty()));
    }
}
