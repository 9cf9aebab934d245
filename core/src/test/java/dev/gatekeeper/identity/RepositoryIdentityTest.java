package dev.gatekeeper.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryIdentityTest {
    @TempDir Path tmp;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "https://github.com/acme/app.git, acme/app",
        "https://github.com/acme/app, acme/app",
        "https://github.com/acme/app/, acme/app",
        "https://user:pw@gitlab.example.com/group/sub/project.git, group/sub/project",
        "git@github.com:acme/app.git, acme/app",
        "gitea@git.example.com:owner/name.git, owner/name",
        "git.example.com:team1/app.git, team1/app",
        "ssh://git@host:2222/srv/git/team1/app.git, srv/git/team1/app",
        "ssh://host/srv/git/app.git, srv/git/app",
        "git://127.0.0.1:9418/team1/app.git, team1/app",
        "file:///srv/git/team1/app.git, srv/git/team1/app",
        "/srv/git/team1/app.git, srv/git/team1/app",
        "/home/me/app/.git, home/me/app",
        "https://git.example.com/a%20b/app.git, a b/app",
        "https://host/app.GIT, app",
    })
    void aRemoteUrlNamesTheRepositoryByItsPath(String url, String expected) {
        assertEquals(Optional.of(expected), RepositoryIdentity.fromRemoteUrl(url));
    }

    @Test
    void aUrlWithoutAPathNamesNothing() {
        assertEquals(Optional.empty(), RepositoryIdentity.fromRemoteUrl(null));
        assertEquals(Optional.empty(), RepositoryIdentity.fromRemoteUrl(" "));
        assertEquals(Optional.empty(), RepositoryIdentity.fromRemoteUrl("https://github.com/"));
    }

    @Test
    void theServerIdentityFollowsTheDocumentedOrderAndAlwaysKnowsItsAbsolutePath() throws Exception {
        Path gitDir = Files.createDirectories(tmp.resolve("srv/team1/app.git"));
        String abs = gitDir.toAbsolutePath().toString().substring(1).replaceAll("\\.git$", "");
        Path own = Files.createDirectories(gitDir.resolve("gatekeeper")).resolve("policy.yaml");
        Path shared = tmp.resolve("etc/policy.yaml");

        RepositoryIdentity folder = RepositoryIdentity.ofServer(gitDir, Map.of(), Optional.empty(), null);
        assertEquals("app", folder.id());
        assertEquals(List.of(abs), folder.aliases());
        assertTrue(folder.accepts(abs) && folder.accepts("app") && !folder.accepts("team2/app"));

        assertEquals("app", RepositoryIdentity.ofServer(gitDir, Map.of(), Optional.of("web"), shared).id(),
                "a shared policy's repository: would be every repository's: not used");
        assertEquals("web", RepositoryIdentity.ofServer(gitDir, Map.of(), Optional.of("web"), own).id());

        RecordedRepositoryId.write(gitDir, "team1/app");
        RepositoryIdentity recorded = RepositoryIdentity.ofServer(gitDir, Map.of(), Optional.of("web"), own);
        assertEquals("team1/app", recorded.id(), "the recorded id wins over any policy");
        assertTrue(recorded.explain().contains("--repository-id"), recorded.explain());

        RepositoryIdentity gitea = RepositoryIdentity.ofServer(gitDir, Map.of("GITEA_REPO_USER_NAME", "owner",
                "GITEA_REPO_NAME", "name"), Optional.empty(), null);
        assertEquals("owner/name", gitea.id());
        RepositoryIdentity gitlab = RepositoryIdentity.ofServer(gitDir, Map.of("GL_PROJECT_PATH", "group/project",
                "GITEA_REPO_USER_NAME", "owner", "GITEA_REPO_NAME", "name"), Optional.empty(), null);
        assertEquals("group/project", gitlab.id());
        assertFalse(gitlab.explain().contains("--repository-id"), "the forge sets it, not an install");
        assertTrue(gitlab.explain().contains("GL_PROJECT_PATH"), gitlab.explain());
    }

    @Test
    void aRecordedIdIsOneLineAndGarbageIsNotAnId() throws Exception {
        Path gitDir = Files.createDirectories(tmp.resolve("app.git"));
        RecordedRepositoryId.write(gitDir, "  team1/app ");
        assertEquals("team1/app\n", Files.readString(RecordedRepositoryId.file(gitDir)));
        assertEquals(Optional.of("team1/app"), RecordedRepositoryId.read(gitDir));
        Files.writeString(RecordedRepositoryId.file(gitDir), "x".repeat(600));
        assertEquals(Optional.empty(), RecordedRepositoryId.read(gitDir), "longer than any forge path");
        Files.writeString(RecordedRepositoryId.file(gitDir), "a\u0001b\n");
        assertEquals(Optional.empty(), RecordedRepositoryId.read(gitDir));
        assertFalse(RecordedRepositoryId.isValid(""));
        assertFalse(RecordedRepositoryId.isValid("a\nb"));
    }
}
