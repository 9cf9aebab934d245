package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What git never sends, fed straight to {@code bin/gatekeeper hook pre-receive} (and to the installed hook): the
 * gate refuses with exit 2 and one line, audited, and never shows the pusher a Java stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class HookInputIT {
    private static final String A = "1111111111111111111111111111111111111111";
    private static final String B = "2222222222222222222222222222222222222222";
    private static final Pattern EVENT = Pattern.compile("\\[event (ev-[A-Za-z0-9_-]+)\\]");

    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;

    @BeforeAll
    void setUp(@TempDir Path root) {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
    }

    static Stream<Arguments> malformed() {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 37 + 11);
        }
        binary[binary.length - 1] = '\n';
        return Stream.of(
                Arguments.of("garbage", bytes("this is not what git sends\n")),
                Arguments.of("truncated mid-line", bytes(A + " " + B + " refs/heads/ma")),
                Arguments.of("truncated after the first id", bytes(A + " 2222")),
                Arguments.of("a short id", bytes(A + " 2222222 refs/heads/main\n")),
                Arguments.of("a good line then garbage", bytes(A + " " + B + " refs/heads/main\n\u0000\u0001junk\n")),
                Arguments.of("binary", binary),
                Arguments.of("empty", new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputIsRefusedWithOneLineAndNoStackTrace(String what, byte[] input) {
        Proc.Result r = dist.run(server.gitDir(), Map.of("GIT_DIR", server.gitDir().toString()), input,
                Proc.DEFAULT_TIMEOUT, "hook", "pre-receive");

        assertOneLineRefusal(r);
        assertEquals(server.main(), server.rev("refs/heads/main"));
    }

    /** The installed hook script is what git runs; it must say the same (git runs it in the bare repository). */
    @Test
    void theInstalledHookRefusesGarbageTheSameWay() {
        Path hook = server.gitDir().resolve("hooks/pre-receive");
        Proc.Result r = Proc.run(server.gitDir(), withGitDir("."), bytes("garbage\n"), Proc.DEFAULT_TIMEOUT,
                List.of(hook.toString()));

        assertOneLineRefusal(r);
    }

    private Map<String, String> withGitDir(String gitDir) {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("GIT_DIR", gitDir);
        return e;
    }

    private void assertOneLineRefusal(Proc.Result r) {
        assertEquals(2, r.exitCode(), "malformed input is a usage error (2)\n" + r.describe());
        List<String> lines = Arrays.stream(r.stderr().split("\n")).filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "exactly one line of reason\n" + r.describe());
        assertTrue(lines.get(0).startsWith("gatekeeper: REFUSED: malformed hook input: "), r.describe());
        assertFalse(r.output().contains("Exception"), "no exception names\n" + r.describe());
        assertFalse(r.output().contains("\tat "), "no stack trace\n" + r.describe());
        assertTrue(r.stdout().isEmpty(), "nothing on stdout\n" + r.describe());
        Matcher m = EVENT.matcher(lines.get(0));
        assertTrue(m.find(), "the refusal names its audit event\n" + r.describe());
        JsonNode e = server.requireEvent(m.group(1));
        assertEquals("push.refused", e.path("type").asText(), e.toString());
        assertEquals("input", e.path("rule").asText(), e.toString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
