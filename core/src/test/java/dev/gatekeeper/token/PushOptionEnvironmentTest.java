package dev.gatekeeper.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.verify.Git;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushOptionEnvironmentTest {
    @TempDir
    Path tmp;

    @Test
    void withoutExistingEntriesTheOptionIsEntryZero() {
        Map<String, String> e = PushOptionEnvironment.forPipelineToken(Map.of(), "gk1.abc.def");
        assertEquals(Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "push.pushOption",
                "GIT_CONFIG_VALUE_0", "gatekeeper-token=gk1.abc.def"), e);
    }

    @Test
    void existingEntriesAreKeptAndTheOptionIsAppended() {
        Map<String, String> e = PushOptionEnvironment.forPushOption(Map.of("GIT_CONFIG_COUNT", " 2 "), "x=y");
        assertEquals("3", e.get("GIT_CONFIG_COUNT"));
        assertEquals("push.pushOption", e.get("GIT_CONFIG_KEY_2"));
        assertEquals("x=y", e.get("GIT_CONFIG_VALUE_2"));
        assertFalse(e.containsKey("GIT_CONFIG_KEY_0"), "entries 0 and 1 belong to the caller");
    }

    @Test
    void unusableCountsCountAsZeroLikeStabilizesRevertPush() {
        for (String bad : List.of("", "two", "-4")) {
            assertEquals("1", PushOptionEnvironment.forPushOption(Map.of("GIT_CONFIG_COUNT", bad), "o")
                    .get("GIT_CONFIG_COUNT"), bad);
        }
    }

    @Test
    void refusesEmptyOrMultiLineOptions() {
        assertThrows(IllegalArgumentException.class, () -> PushOptionEnvironment.forPushOption(Map.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> PushOptionEnvironment.forPushOption(Map.of(), "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> PushOptionEnvironment.forPipelineToken(Map.of(), " "));
    }

    /** The real thing: a plain {@code git push} with these entries delivers the option to the server's hook. */
    @Test
    void aPlainGitPushCarriesTheOptionNextToTheCallersOwnOption() throws Exception {
        Git git = new Git(tmp.resolve("home"));
        Path server = git.bare(tmp.resolve("server.git"));
        git.git(server, "config", "receive.advertisePushOptions", "true");
        Path seen = tmp.resolve("seen.txt");
        Path hook = server.resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\ni=0\nwhile [ $i -lt \"${GIT_PUSH_OPTION_COUNT:-0}\" ]; do\n"
                + "  eval \"echo \\\"\\$GIT_PUSH_OPTION_$i\\\"\" >> '" + seen + "'\n  i=$((i+1))\ndone\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = git.clone(server.toString(), tmp.resolve("work"));
        git.commit(work, "one");

        Map<String, String> env = new HashMap<>(Map.of("GIT_CONFIG_COUNT", "1",
                "GIT_CONFIG_KEY_0", "push.pushOption", "GIT_CONFIG_VALUE_0", "callers-own=1"));
        env.putAll(PushOptionEnvironment.forPipelineToken(env, "gk1.token"));
        Git.Run r = git.run(work, env, List.of("git", "push", "-q", "origin", "HEAD:main"));

        assertEquals(0, r.exit(), r.stderr());
        assertEquals(List.of("callers-own=1", "gatekeeper-token=gk1.token"),
                Files.readAllLines(seen, StandardCharsets.UTF_8));
        assertTrue(r.stderr().isEmpty() || !r.stderr().contains("gk1.token"), "the token is not echoed");
    }
}
