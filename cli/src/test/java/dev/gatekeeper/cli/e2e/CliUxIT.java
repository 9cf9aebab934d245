package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatekeeper.cli.Main;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line a user expects, from the packaged distribution: the build's version everywhere, help on every
 * command, shell completion that completes, logging that is off until asked for and then shows JGit and OkHttp,
 * {@code --quiet}, and JSON from {@code hooks status}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class CliUxIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

    @TempDir Path root;
    Map<String, String> env;
    Dist dist;
    Git git;
    HttpServer http;
    final AtomicInteger requests = new AtomicInteger();
    volatile int status = 200;

    @BeforeEach
    void setUp() {
        env = Env.isolated(root);
        dist = new Dist(env);
        git = new Git(env);
    }

    @AfterEach
    void stopHttp() {
        if (http != null) {
            http.stop(0);
        }
    }

    /** A local HTTP endpoint (a ping service, a health check) that answers {@link #status}. */
    String httpUrl(String path) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", x -> {
            requests.incrementAndGet();
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    // ---- version ----

    @Test
    void theBuildsVersionIsWhatEveryEntryPointReports() throws IOException {
        String version = System.getProperty("gatekeeper.version");
        assertTrue(version != null && !version.isBlank(), "failsafe passes gatekeeper.version");
        String expected = "gatekeeper " + version;
        assertEquals(expected, dist.run(root, "--version").expectOk().stdout().strip());
        assertEquals(expected, dist.run(root, "-V").expectOk().stdout().strip());
        assertEquals(expected, dist.run(root, "verify-push", "--version").expectOk().stdout().strip());
        assertEquals(expected, dist.run(root, "hook", "--version").expectOk().stdout().strip());
        assertEquals(expected, dist.run(root, "drift", "scan", "--version").expectOk().stdout().strip());
        Path hookJar = Dist.hookJar(dist.dir());
        Proc.Result jar = Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, List.of(java(), "-jar", hookJar.toString(),
                "--version")).expectOk();
        assertEquals(expected, jar.stdout().strip());
        try (JarFile j = new JarFile(hookJar.toFile())) {
            assertEquals(version, j.getManifest().getMainAttributes().getValue("Implementation-Version"));
        }
        assertFalse(expected.contains("dev") || expected.contains("unknown"), expected);
    }

    // ---- help ----

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> commands = new ArrayList<>();
        walk(Main.commandLine(), new ArrayList<>(), commands);
        assertTrue(commands.size() >= 25, "commands: " + commands);
        for (List<String> c : commands) {
            List<String> args = new ArrayList<>(c);
            args.add("--help");
            Proc.Result r = dist.run(root, args.toArray(String[]::new)).expectOk();
            String usage = "Usage: gatekeeper" + (c.isEmpty() ? "" : " " + String.join(" ", c));
            assertTrue(r.stdout().startsWith(usage) || r.stdout().contains("\n" + usage), r.describe());
            assertEquals("", r.stderr(), r.describe());
        }
        for (String h : List.of("-h", "--help")) {
            Proc.Result hook = dist.run(root, "hook", h).expectOk();
            assertTrue(hook.stdout().startsWith("Usage: gatekeeper hook NAME"), hook.describe());
            for (String name : List.of("pre-receive", "post-receive", "pre-commit", "pre-push")) {
                assertTrue(hook.stdout().contains(name), name + "\n" + hook.describe());
            }
        }
        Proc.Result none = dist.run(root, "hook").expectExit(2);
        assertTrue(none.stderr().contains("see gatekeeper hook --help"), none.describe());
        Proc.Result unknown = dist.run(root, "hook", "pre-rebase").expectExit(2);
        assertTrue(unknown.stderr().contains("unknown hook 'pre-rebase'"), unknown.describe());
        Proc.Result viaHelp = dist.run(root, "help", "events").expectOk();
        assertTrue(viaHelp.stdout().startsWith("Usage: gatekeeper events"), viaHelp.describe());
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (!sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // an alias
            }
            List<String> p = new ArrayList<>(path);
            p.add(sub.getKey());
            walk(sub.getValue(), p, out);
        }
    }

    // ---- the hook path stays lean ----

    @Test
    void theHooksPathLoadsNoPicocliNoLoggingBindingAndHelpLoadsNothingMore() throws IOException {
        Path hookJar = Dist.hookJar(dist.dir());
        try (JarFile j = new JarFile(hookJar.toFile())) {
            List<String> names = j.stream().map(e -> e.getName()).toList();
            for (String forbidden : List.of("picocli/", "org/slf4j/jul/", "dev/gatekeeper/cli/")) {
                assertTrue(names.stream().noneMatch(n -> n.startsWith(forbidden)), forbidden + " in the hook jar");
            }
        }
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        server.write("policy.yaml", Policies.STANDARD);
        String head = git.revOrNull(server.gitDir(), "refs/heads/main");
        byte[] update = ("0000000000000000000000000000000000000000 " + head + " refs/heads/feature\n")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> hookEnv = new HashMap<>(env);
        hookEnv.put("GIT_DIR", server.gitDir().toString());
        List<String> pushed = loaded(root, hookEnv, update, hookJar, "pre-receive", 0);
        assertTrue(pushed.contains("dev.gatekeeper.gate.PreReceiveCommand"), "the class log works: " + pushed.size());
        for (String c : pushed) {
            assertFalse(c.startsWith("picocli.") || c.startsWith("org.slf4j.jul.") || c.startsWith("dev.gatekeeper.cli.")
                    || c.equals("java.util.logging.LogManager") || c.equals("dev.gatekeeper.Version"),
                    "the pre-receive path loaded " + c);
        }
        List<String> help = loaded(root, env, null, hookJar, "--help", 0);
        List<String> ours = help.stream().filter(c -> c.startsWith("dev.gatekeeper.") || c.startsWith("org.")).toList();
        // the entry point, the exception its catch clause names (the verifier loads it) and the exit codes
        assertEquals(List.of("dev.gatekeeper.hooks.HookMain", "dev.gatekeeper.gate.GateInputException",
                "dev.gatekeeper.ExitCode"), ours, "hook --help loads nothing but the entry point");
    }

    /** The classes a run of the hook jar loaded, from the JVM's own class-loading log. */
    private List<String> loaded(Path dir, Map<String, String> e, byte[] stdin, Path hookJar, String hook,
            int exit) throws IOException {
        Path log = dir.resolve("classes-" + hook.replace("-", "") + ".log");
        Proc.run(dir, e, stdin, Proc.DEFAULT_TIMEOUT, List.of(java(), "-Xshare:off",
                "-Xlog:class+load=info:file=" + log, "-cp", hookJar.toString(), "dev.gatekeeper.hooks.HookMain", hook))
                .expectExit(exit);
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            String[] f = l.split("\\s+");
            for (int i = 0; i < f.length - 1; i++) {
                if (f[i].endsWith("]") && f[i].contains("class,load")) {
                    out.add(f[i + 1]);
                    break;
                }
            }
        }
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---- shell completion ----

    @Test
    void bashCompletesSubcommandsOptionsAndValuesVerifyPushIncluded() {
        Path script = dist.dir().resolve("completion/gatekeeper.bash");
        assertTrue(Files.isRegularFile(script), "the distribution ships " + script);
        assertEquals(List.of("hook", "hooks"), bash(script, "gatekeeper", "ho"));
        assertEquals(List.of("--follow"), bash(script, "gatekeeper", "events", "tail", "--fo"));
        assertEquals(List.of("--expect"), bash(script, "gatekeeper", "verify-push", "--exp"));
        assertEquals(List.of("auto", "git", "github"), bash(script, "gatekeeper", "verify-push", "--via", ""));
        assertEquals(List.of("pre-receive"), bash(script, "gatekeeper", "hook", "pre-r"));
        assertEquals(List.of("--debug"), bash(script, "gatekeeper", "drift", "scan", "--deb"));
        assertEquals(List.of("PLAIN"), bash(script, "gatekeeper", "hooks", "install", "--layout", "PL"));
    }

    /** What the script's function puts in COMPREPLY for the words typed (the last one being completed). */
    private List<String> bash(Path script, String... words) {
        List<String> cmd = new ArrayList<>(List.of("bash", "--norc", "--noprofile", "-c",
                "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"$*\"; "
                        + "COMP_POINT=${#COMP_LINE}; _complete_gatekeeper 2>/dev/null; "
                        + "printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script.toString()));
        cmd.addAll(List.of(words));
        Proc.Result r = Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, cmd).expectOk();
        return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
    }

    @Test
    void zshCompletesThroughBashcompinitAsAUserTypesTab() throws IOException {
        Path zsh = Tools.require("zsh", "zsh");
        Path script = dist.dir().resolve("completion/gatekeeper.bash");
        // a real interactive zsh in a pseudo-terminal (zsh/zpty): the line typed, TAB pressed, the line read back
        Path driver = root.resolve("tab.zsh");
        Files.writeString(driver, String.join("\n",
                "zmodload zsh/zpty",
                "zpty -b z 'zsh -f -i'",
                "zpty -w z 'PS1=\"> \"; autoload -U +X compinit && compinit -u; "
                        + "autoload -U +X bashcompinit && bashcompinit; source '\"$1\"",
                "zpty -w -n z \"$2\"$'\\t'",
                "sleep 3",
                "out=''",
                "while zpty -r -t z line; do out+=$line; done",
                "zpty -d z",
                "print -r -- \"$out\"",
                ""));
        for (String[] typed : new String[][] {{"gatekeeper verify-push --exp", "gatekeeper verify-push --expect"},
            {"gatekeeper eve", "gatekeeper events"}, {"gatekeeper events tail --fol", "gatekeeper events tail --follow"}}) {
            Proc.Result r = Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, List.of(zsh.toString(), "-f",
                    driver.toString(), script.toString(), typed[0])).expectOk();
            String screen = r.stdout().replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replace("\r", "");
            assertTrue(screen.contains(typed[1] + " "), "typed '" + typed[0] + "<TAB>', expected '" + typed[1]
                    + "'\n" + screen);
        }
    }

    // ---- logging ----

    /** A clone with one commit pushed to a bare repository; verify-push can check it without any network. */
    Path workingClone() {
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        Path work = git.cloneInto(server.gitDir().toString(), root.resolve("work"));
        return work;
    }

    @Test
    void debugShowsJGitAndOkHttpAtWorkAndTheDefaultShowsNoneOfIt() throws IOException {
        Path work = workingClone();
        String ping = httpUrl("/ping/secret-uuid-1234");
        // verify-push: its own lean entry point
        Proc.Result quietByDefault = dist.run(work, "verify-push", "--ping-url", ping, "--no-heartbeat").expectOk();
        assertEquals("", quietByDefault.stderr(), quietByDefault.describe());
        Proc.Result debug = dist.run(work, "verify-push", "--debug", "--ping-url", ping, "--no-heartbeat")
                .expectOk();
        assertTrue(debug.stderr().contains(" DEBUG org.eclipse.jgit."), "JGit's debug lines\n" + debug.describe());
        assertTrue(debug.stderr().contains(" DEBUG okhttp3."), "OkHttp's debug lines\n" + debug.describe());
        assertTrue(debug.stdout().startsWith("verified: "), debug.describe());
        assertFalse(debug.stdout().contains("DEBUG"), "logging never reaches stdout\n" + debug.describe());
        Proc.Result verbose = dist.run(work, "verify-push", "-v", "--ping-url", ping, "--no-heartbeat").expectOk();
        assertTrue(verbose.stderr().contains("INFO dev.gatekeeper.http: POST http://127.0.0.1:"), verbose.describe());
        assertFalse(verbose.stderr().contains(" DEBUG "), verbose.describe());
        assertFalse(verbose.stderr().contains("secret-uuid"), "a ping URL's path is a secret\n" + verbose.describe());

        // a picocli command (the events verify-push wrote), the option before and after the subcommand; --json
        // stays clean
        Proc.Result plain = dist.run(work, "events", "tail", "--json", "--ping-url", ping, "--no-heartbeat")
                .expectOk();
        assertEquals("", plain.stderr(), plain.describe());
        for (List<String> args : List.of(List.of("--debug", "events", "tail", "--json"),
                List.of("events", "tail", "--json", "--debug"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--ping-url", ping, "--no-heartbeat"));
            Proc.Result r = dist.run(work, all.toArray(String[]::new)).expectOk();
            assertTrue(r.stderr().contains(" DEBUG org.eclipse.jgit."), r.describe());
            assertTrue(r.stderr().contains(" DEBUG okhttp3."), r.describe());
            assertEquals(plain.stdout(), r.stdout(), "the same JSON with and without --debug");
            for (String line : r.stdout().lines().toList()) {
                JSON.readTree(line);
            }
        }
    }

    @Test
    void quietDropsWarningsButKeepsTheResultAndTheReasonOfAFailure() throws IOException {
        Path work = workingClone();
        status = 500;
        String ping = httpUrl("/ping");
        Proc.Result loud = dist.run(work, "verify-push", "--ping-url", ping, "--no-heartbeat").expectOk();
        assertTrue(loud.stderr().contains("warning: ping"), loud.describe());
        Proc.Result quiet = dist.run(work, "verify-push", "-q", "--ping-url", ping, "--no-heartbeat").expectOk();
        assertEquals("", quiet.stderr(), quiet.describe());
        assertTrue(quiet.stdout().startsWith("verified: "), quiet.describe());
        Proc.Result failing = dist.run(work, "verify-push", "--quiet", "--expect", "no-such-revision").expectExit(2);
        assertTrue(failing.stderr().contains("no-such-revision"), failing.describe());

        Proc.Result eventsLoud = dist.run(work, "events", "tail", "--ping-url", ping, "--no-heartbeat");
        assertTrue(eventsLoud.stderr().contains("warning: ping"), eventsLoud.describe());
        Proc.Result eventsQuiet = dist.run(work, "--quiet", "events", "tail", "--ping-url", ping, "--no-heartbeat");
        assertEquals(eventsLoud.exitCode(), eventsQuiet.exitCode(), eventsQuiet.describe());
        assertFalse(eventsQuiet.stderr().contains("warning"), eventsQuiet.describe());
        Proc.Result usage = dist.run(work, "events", "tail", "-q", "--since", "soon").expectExit(2);
        assertTrue(usage.stderr().contains("--since"), "the reason stays\n" + usage.describe());
    }

    // ---- hooks status --json ----

    @Test
    void hooksStatusSpeaksJsonWithSnakeCaseKeys() throws IOException {
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        GitServer bare = GitServer.create(git, root.resolve("srv"), "other");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        Proc.Result ok = dist.run(root, "hooks", "status", "--json", server.gitDir().toString()).expectOk();
        JsonNode installed = JSON.readTree(ok.stdout().strip());
        assertEquals("installed", installed.get("state").asText(), ok.describe());
        assertTrue(installed.get("installed").asBoolean(), ok.describe());
        assertEquals("passed", installed.get("self_test").get("verdict").asText(), ok.describe());
        assertSnakeCase(installed);

        Proc.Result both = dist.run(root, "hooks", "status", "--json", "--no-self-test", server.gitDir().toString(),
                bare.gitDir().toString()).expectExit(3);
        List<String> lines = both.stdout().lines().toList();
        assertEquals(2, lines.size(), both.describe());
        JsonNode missing = JSON.readTree(lines.get(1));
        assertEquals("missing", missing.get("state").asText(), both.describe());
        assertFalse(missing.get("installed").asBoolean());
        assertTrue(missing.get("self_test").isNull());
        assertTrue(missing.get("findings").size() > 0, both.describe());
        assertSnakeCase(missing);
    }

    static void assertSnakeCase(JsonNode n) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                assertTrue(SNAKE.matcher(f.getKey()).matches(), "not snake_case: " + f.getKey() + " in " + n);
                assertSnakeCase(f.getValue());
            }
        } else if (n.isArray()) {
            n.forEach(CliUxIT::assertSnakeCase);
        }
    }
}
