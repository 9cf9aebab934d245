package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push-gate contract over {@code file://} (git runs receive-pack and the hook locally), with the hooks
 * installed WITH the class-data-sharing archive: every push of the contract goes through a CDS-backed hook.
 */
class FilePushGateIT extends PushGateContract {
    private static final Pattern ARCHIVE = Pattern.compile("-XX:SharedArchiveFile=(\\S+)");

    @Override
    boolean withCds() {
        // Remove archives a previous run or the demo left, so that this install really makes one.
        try (DirectoryStream<Path> jsa = Files.newDirectoryStream(Dist.home().resolve("lib/hook"), "*.jsa")) {
            for (Path p : jsa) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    @Override
    String openTransport(Path root, GitServer server) {
        return server.fileUrl();
    }

    @Override
    String derivedRepositoryName() {
        return server.absolutePathName(); // the absolute-path alias the gate accepts
    }

    @Override
    String verifyReader() {
        return "local"; // verify-push reads a local path's refs directly
    }

    @Override
    void closeTransport() {
        // nothing runs between pushes
    }

    @Test
    void installMadeAClassDataSharingArchiveThatTheHookReallyUses(@TempDir Path tmp) throws IOException {
        assertNotContains(installResult, "without a class-data-sharing archive");
        String script = Files.readString(server.gitDir().resolve("hooks/pre-receive"), StandardCharsets.UTF_8);
        Matcher m = ARCHIVE.matcher(script);
        assertTrue(m.find(), "the installed hook should start java with the archive:\n" + script);
        Path archive = Path.of(m.group(1));
        assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 0, "missing archive " + archive);
        assertTrue(archive.startsWith(Dist.home().resolve("lib/hook")), "the archive belongs next to the hook jar");

        // -Xshare:on makes the JVM refuse to start (exit 1, "Unable to use shared archive") instead of silently
        // running without it: an exit 2 (malformed input, judged by the gate) proves the archive matches.
        Path bare = tmp.resolve("scratch.git");
        git.ok(tmp, "init", "-q", "--bare", bare.toString());
        Map<String, String> hookEnv = new HashMap<>(env);
        hookEnv.put("GIT_DIR", bare.toString());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Proc.Result r = Proc.run(bare, hookEnv, "garbage\n".getBytes(StandardCharsets.UTF_8), Proc.DEFAULT_TIMEOUT,
                List.of(java.toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=info",
                        "-XX:TieredStopAtLevel=1", "-cp", Dist.hookJar(Dist.home()).toString(),
                        "dev.gatekeeper.hooks.HookMain", "pre-receive"));
        assertEquals(2, r.exitCode(), "the hook JVM should start with the archive mapped\n" + r.describe());
        // what makes the archive worth its size: the JDK's module graph comes from it, not rebuilt at each push
        assertTrue(r.stdout().contains("full module graph: enabled"), r.describe());
        assertTrue(r.stderr().contains("malformed hook input"), r.describe());
    }
}
