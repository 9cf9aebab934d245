package dev.gatekeeper.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventJson;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole hook against a real (bare) repository: policy file, JGit ancestry, audit log, messages. */
class PreReceiveCommandTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String ZERO = "0".repeat(40);
    private static final String PIPELINE_SECRET = "pipeline-secret-0123456789abcdef";
    private static final String BREAK_GLASS_SECRET = "break-glass-secret-0123456789abcdef";
    private static final String HOW = "Open a merge request; the pipeline merges it.";
    private static final String POLICY = "version: 1\n"
            + "identity:\n"
            + "  pusherEnv: [GL_USERNAME]\n"
            + "protected:\n"
            + "  - ref: refs/heads/main\n"
            + "    howToLand: " + HOW + "\n";

    @TempDir
    Path tmp;

    private Path gitDir;
    private Path configDir;
    /** a is main; b is a fast-forward of a; c is a sibling of b (so b to c is a rewrite). */
    private String a;
    private String b;
    private String c;

    private record Run(PreReceiveCommand.Result result, String messages) {
        int code() {
            return result.exitCode().code();
        }
    }

    @BeforeEach
    void createRepository() throws Exception {
        gitDir = tmp.resolve("app.git");
        configDir = Files.createDirectories(tmp.resolve("etc-gatekeeper"));
        try (Git git = Git.init().setBare(true).setDirectory(gitDir.toFile()).call()) {
            Repository repo = git.getRepository();
            try (ObjectInserter ins = repo.newObjectInserter()) {
                ObjectId tree = ins.insert(new TreeFormatter());
                ObjectId ca = commit(ins, tree, "A");
                ObjectId cb = commit(ins, tree, "B", ca);
                ObjectId cc = commit(ins, tree, "C", ca);
                ins.flush();
                a = ca.name();
                b = cb.name();
                c = cc.name();
            }
            org.eclipse.jgit.lib.RefUpdate ru = repo.updateRef("refs/heads/main");
            ru.setNewObjectId(ObjectId.fromString(a));
            ru.update();
        }
    }

    static ObjectId commit(ObjectInserter ins, ObjectId tree, String message, ObjectId... parents) throws Exception {
        CommitBuilder cb = new CommitBuilder();
        cb.setTreeId(tree);
        cb.setParentIds(parents);
        PersonIdent who = new PersonIdent("Test", "test@example.com", NOW, ZoneOffset.UTC);
        cb.setAuthor(who);
        cb.setCommitter(who);
        cb.setMessage(message + "\n");
        return ins.insert(cb);
    }

    private void writePolicy(String text) throws Exception {
        Files.createDirectories(gitDir.resolve("gatekeeper"));
        Files.writeString(gitDir.resolve("gatekeeper/policy.yaml"), text);
    }

    private Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEKEEPER_CONFIG_DIR", configDir.toString());
        env.put("GATEKEEPER_PIPELINE_SECRET", PIPELINE_SECRET);
        env.put("USER", "git");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    private static Map<String, String> withOptions(Map<String, String> env, String... options) {
        env.put("GIT_PUSH_OPTION_COUNT", Integer.toString(options.length));
        for (int i = 0; i < options.length; i++) {
            env.put("GIT_PUSH_OPTION_" + i, options[i]);
        }
        return env;
    }

    private Run run(Map<String, String> env, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream messages = new PrintStream(out, true, StandardCharsets.UTF_8);
        PreReceiveCommand.Result r = new PreReceiveCommand().setGitDir(gitDir).setEnvironment(env)
                .setInput(input == null ? null : new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))
                .setMessages(messages).setClock(Clock.fixed(NOW, ZoneOffset.UTC)).call();
        return new Run(r, out.toString(StandardCharsets.UTF_8));
    }

    private static String line(String oldId, String newId, String ref) {
        return oldId + " " + newId + " " + ref + "\n";
    }

    private static String pipelineToken(String ref, String sha) {
        Secret s = Secret.load(Map.of("S", PIPELINE_SECRET), "S", null).orElseThrow();
        return TokenCodec.mint(new TokenClaims(TokenClaims.Kind.PIPELINE, "tok-pipeline1", "app", ref,
                Optional.of(sha), NOW.minusSeconds(30), NOW.plus(Duration.ofMinutes(10)), Optional.empty(),
                Optional.of("jenkins"), false), s);
    }

    private static String breakGlassToken(boolean force) {
        Secret s = Secret.load(Map.of("S", BREAK_GLASS_SECRET), "S", null).orElseThrow();
        return TokenCodec.mint(new TokenClaims(TokenClaims.Kind.BREAK_GLASS, "tok-glass1", "app", "refs/**",
                Optional.empty(), NOW.minusSeconds(30), NOW.plus(Duration.ofMinutes(15)),
                Optional.of("INC-42 prod down"), Optional.of("alice"), force), s);
    }

    /** Every event of the repository's audit trail (ordinary, security and ledger logs), by time. */
    private List<Event> events() throws Exception {
        EventLog.ReadResult r = GateEnvironment.load(gitDir, env()).auditTrail().readAll();
        assertEquals(0, r.unreadable());
        return r.events();
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).collect(Collectors.toList());
    }

    // ---- decisions ----

    @Test
    void directPushToProtectedRefIsRefusedExplainedAndAudited() throws Exception {
        writePolicy(POLICY);
        Run run = run(env(), line(a, b, "refs/heads/main"));

        assertEquals(3, run.code(), run.messages());
        assertEquals(ExitCode.REFUSED, run.result().exitCode());
        assertEquals(1, run.result().eventIds().size());
        String id = run.result().eventIds().get(0);
        assertTrue(run.messages().contains("gatekeeper: REFUSED refs/heads/main (rule: refs/heads/main)"),
                run.messages());
        assertTrue(run.messages().contains("why: direct push to a protected ref: no pipeline proof"), run.messages());
        assertTrue(run.messages().contains("how to land it: " + HOW), run.messages());
        assertTrue(run.messages().contains("event: " + id), run.messages());

        List<Event> events = events();
        assertEquals(List.of(id), ids(events));
        Event e = events.get(0);
        assertEquals("push.refused", e.type());
        assertEquals("app", e.repository());
        assertEquals("refs/heads/main", e.ref());
        assertEquals(a, e.oldId());
        assertEquals(b, e.newId());
        assertEquals("refused", e.decision());
        assertEquals("refs/heads/main", e.rule());
        assertEquals("none", e.proof());
        assertEquals("git", e.pusher());
        assertEquals(gitDir.resolve("gatekeeper/policy.yaml").toString(), e.details().get("policy"));
        assertTrue(e.reason().startsWith("direct push to a protected ref"), e.reason());
    }

    @Test
    void pipelinePushWithTokenIsAcceptedAndAudited() throws Exception {
        writePolicy(POLICY);
        Map<String, String> env = withOptions(env("GL_USERNAME", "ci-bot"), "ci.skip",
                "gatekeeper-token=" + pipelineToken("refs/heads/main", b));
        Run run = run(env, line(a, b, "refs/heads/main"));

        assertEquals(0, run.code(), run.messages());
        String id = run.result().eventIds().get(0);
        assertTrue(run.messages().contains("gatekeeper: accepted refs/heads/main (token:tok-pipeline1) [event " + id
                + "]"), run.messages());
        assertFalse(run.messages().contains("REFUSED"), run.messages());
        Event e = events().get(0);
        assertEquals(id, e.id());
        assertEquals("push.allowed", e.type());
        assertEquals("allowed", e.decision());
        assertEquals("token:tok-pipeline1", e.proof());
        assertEquals("ci-bot", e.pusher());
    }

    @Test
    void forcePushIsRefusedEvenWithAValidTokenUsingTheRealHistory() throws Exception {
        writePolicy(POLICY);
        Map<String, String> env = withOptions(env(), "gatekeeper-token=" + pipelineToken("refs/heads/main", c));
        Run run = run(env, line(b, c, "refs/heads/main"));

        assertEquals(3, run.code(), run.messages());
        assertTrue(run.messages().contains("non-fast-forward update (force-push)"), run.messages());
        assertEquals("refused", events().get(0).decision());
    }

    @Test
    void deletionIsRefused() throws Exception {
        writePolicy(POLICY);
        Run run = run(env(), line(a, ZERO, "refs/heads/main"));
        assertEquals(3, run.code(), run.messages());
        assertTrue(run.messages().contains("deleting a protected ref is refused"), run.messages());
    }

    @Test
    void unprotectedPushIsAllowedQuietlyButAudited() throws Exception {
        writePolicy(POLICY);
        Run run = run(env(), line(ZERO, c, "refs/heads/feature/x") + line(a, c, "refs/heads/topic"));

        assertEquals(0, run.code(), run.messages());
        assertEquals("", run.messages());
        List<Event> events = events();
        assertEquals(run.result().eventIds(), ids(events));
        assertEquals(List.of("unprotected", "unprotected"),
                events.stream().map(Event::rule).collect(Collectors.toList()));
        assertEquals(List.of("refs/heads/feature/x", "refs/heads/topic"),
                events.stream().map(Event::ref).collect(Collectors.toList()));
    }

    @Test
    void oneRefusedUpdateRefusesTheWholePush() throws Exception {
        writePolicy(POLICY);
        Run run = run(env(), line(ZERO, c, "refs/heads/feature/x") + line(a, b, "refs/heads/main"));

        assertEquals(3, run.code(), run.messages());
        List<Decision> d = run.result().decisions();
        assertEquals(2, d.size());
        assertFalse(d.get(0).allowed());
        assertFalse(d.get(1).allowed());
        assertTrue(d.get(0).reason().startsWith("another ref in the same push was refused"), d.get(0).reason());
        assertTrue(run.messages().contains("REFUSED refs/heads/feature/x (rule: unprotected)"), run.messages());
        assertTrue(run.messages().contains("why: another ref in the same push was refused"), run.messages());
        assertTrue(run.messages().contains("REFUSED refs/heads/main (rule: refs/heads/main)"), run.messages());

        List<Event> events = events();
        assertEquals(run.result().eventIds(), ids(events));
        assertEquals(List.of("refused", "refused"), events.stream().map(Event::decision).collect(Collectors.toList()));
        for (String id : run.result().eventIds()) {
            assertTrue(run.messages().contains("event: " + id), run.messages());
        }
    }

    // ---- malformed input ----

    @Test
    void malformedInputIsAUsageErrorAndAudited() throws Exception {
        writePolicy(POLICY);
        Run run = run(env(), "this is not what git sends\n");

        assertEquals(2, run.code(), run.messages());
        assertEquals(List.of(), run.result().decisions());
        String id = run.result().eventIds().get(0);
        assertTrue(run.messages().startsWith("gatekeeper: REFUSED: malformed hook input: line 1 is not"),
                run.messages());
        assertTrue(run.messages().contains("[event " + id + "]"), run.messages());
        Event e = events().get(0);
        assertEquals(id, e.id());
        assertEquals("push.refused", e.type());
        assertEquals("input", e.rule());
        assertEquals("refused", e.decision());
        assertEquals("app", e.repository());
    }

    @Test
    void emptyAndTruncatedInputAreUsageErrors() throws Exception {
        writePolicy(POLICY);
        assertEquals(2, run(env(), "").code());
        Run truncated = run(env(), a + " " + b + " refs/heads/main");
        assertEquals(2, truncated.code());
        assertTrue(truncated.messages().contains("truncated"), truncated.messages());
        assertEquals(2, events().size());
    }

    @Test
    void missingInputIsAnInternalErrorThatStillRefuses() throws Exception {
        writePolicy(POLICY);
        Run run = run(env(), null);
        assertEquals(1, run.code(), run.messages());
        assertTrue(run.messages().startsWith("gatekeeper: REFUSED (fail closed): internal error"), run.messages());
        assertEquals(List.of("internal-error"), events().stream().map(Event::rule).collect(Collectors.toList()));
    }

    // ---- fail closed ----

    @Test
    void policyWithASyntaxErrorFailsClosed() throws Exception {
        writePolicy("version: 1\nprotected:\n  - ref: refs/heads/main\n   token: false\n");
        Run run = run(env(), line(ZERO, c, "refs/heads/feature/x"));

        assertEquals(3, run.code(), run.messages());
        assertTrue(run.messages().contains("REFUSED refs/heads/feature/x (rule: fail-closed)"), run.messages());
        assertTrue(run.messages().contains("no usable policy (invalid policy: "), run.messages());
        assertTrue(run.messages().contains("policy.yaml:4:4: not valid YAML"), run.messages());
        assertTrue(run.messages().contains("no alert webhook is configured"), run.messages());
        Event e = events().get(0);
        assertEquals("fail-closed", e.rule());
        assertEquals("refused", e.decision());
    }

    @Test
    void policyWithAnUnknownKeyFailsClosed() throws Exception {
        writePolicy(POLICY + "    alowDeletion: true\n");
        Run run = run(env(), line(ZERO, c, "refs/heads/feature/x"));
        assertEquals(3, run.code(), run.messages());
        assertTrue(run.messages().contains("'alowDeletion': unknown key"), run.messages());
    }

    @Test
    void noPolicyAnywhereFailsClosed() throws Exception {
        Run run = run(env(), line(ZERO, c, "refs/heads/feature/x"));
        assertEquals(3, run.code(), run.messages());
        assertTrue(run.messages().contains("no usable policy (no policy found"), run.messages());
        assertEquals(1, events().size());
    }

    @Test
    void breakGlassGetsThroughABrokenPolicyAndIsAudited() throws Exception {
        writePolicy("version: 1\nprotected: [\n");
        Files.writeString(gitDir.resolve("gatekeeper/break-glass.secret"), BREAK_GLASS_SECRET + "\n");
        Map<String, String> env = withOptions(env(), "gatekeeper-break-glass=" + breakGlassToken(false));
        Run run = run(env, line(a, b, "refs/heads/main"));

        assertEquals(0, run.code(), run.messages());
        String id = run.result().eventIds().get(0);
        assertTrue(run.messages().contains("BREAK-GLASS accepted for refs/heads/main, by alice: INC-42 prod down"),
                run.messages());
        assertTrue(run.messages().contains("[audited as " + id + "; no alert target configured]"), run.messages());
        Event e = events().get(0);
        assertEquals("push.break-glass", e.type());
        assertEquals("break-glass:tok-glass1", e.proof());
        assertEquals("allowed", e.decision());
    }

    @Test
    void breakGlassWithoutForceCannotRewriteEvenWhenThePolicyIsBroken() throws Exception {
        writePolicy("version: 1\nprotected: [\n");
        Files.writeString(gitDir.resolve("gatekeeper/break-glass.secret"), BREAK_GLASS_SECRET + "\n");
        Map<String, String> env = withOptions(env(), "gatekeeper-break-glass=" + breakGlassToken(false));
        Run run = run(env, line(b, c, "refs/heads/main"));
        assertEquals(3, run.code(), run.messages());
        assertTrue(run.messages().contains("does not allow a non-fast-forward update"), run.messages());
    }

    // ---- the audit log ----

    @Test
    void anAllowedPushThatCannotBeAuditedIsRefused() throws Exception {
        writePolicy(POLICY);
        Path notADirectory = Files.writeString(tmp.resolve("plain-file"), "x");
        Map<String, String> env = withOptions(env("GATEKEEPER_AUDIT_LOG", notADirectory.resolve("events.jsonl")
                .toString()), "gatekeeper-token=" + pipelineToken("refs/heads/main", b));
        Run run = run(env, line(a, b, "refs/heads/main"));
        assertEquals(3, run.code(), run.messages());
        assertTrue(run.messages().contains("cannot write the audit log"), run.messages());
        assertTrue(run.messages().contains("REFUSED (fail closed): the decision could not be audited"),
                run.messages());
    }

    @Test
    void breakGlassDoesNotDependOnTheAuditLog() throws Exception {
        writePolicy(POLICY);
        Files.writeString(gitDir.resolve("gatekeeper/break-glass.secret"), BREAK_GLASS_SECRET + "\n");
        Path notADirectory = Files.writeString(tmp.resolve("plain-file"), "x");
        Map<String, String> env = withOptions(env("GATEKEEPER_AUDIT_LOG", notADirectory.resolve("events.jsonl")
                .toString()), "gatekeeper-break-glass=" + breakGlassToken(false));
        Run run = run(env, line(a, b, "refs/heads/main"));
        assertEquals(0, run.code(), run.messages());
        assertTrue(run.messages().contains("cannot write the audit log"), run.messages());
    }

    @Test
    void auditLogNamedByThePolicyIsUsed() throws Exception {
        writePolicy(POLICY + "audit:\n  log: ../../audit/app.jsonl\n");
        Run run = run(env(), line(a, b, "refs/heads/main"));
        assertEquals(3, run.code(), run.messages());
        // a refusal is a security event: it goes beside the named log, in app.security.jsonl
        EventLog.ReadResult r = new EventLog(tmp.resolve("audit/app.security.jsonl"), 1024 * 1024, 5).readAll();
        assertEquals(run.result().eventIds(), ids(r.events()));
        assertFalse(Files.exists(gitDir.resolve("gatekeeper/events.jsonl")));
        assertFalse(Files.exists(gitDir.resolve("gatekeeper/security.jsonl")));
    }

    // ---- alerts ----

    /** A local webhook that records what it is sent and answers {@code status}. */
    private static HttpServer webhook(int status, List<String> bodies) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T000/secret-path";
    }

    @Test
    void breakGlassAndRefusalsAreAlerted() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = webhook(204, bodies);
        try {
            writePolicy(POLICY + "alert:\n  webhook: " + url(server) + "\n  on: [break-glass, refused]\n");
            Files.writeString(gitDir.resolve("gatekeeper/break-glass.secret"), BREAK_GLASS_SECRET + "\n");

            Run glass = run(withOptions(env(), "gatekeeper-break-glass=" + breakGlassToken(false)),
                    line(a, b, "refs/heads/main"));
            assertEquals(0, glass.code(), glass.messages());
            assertTrue(glass.messages().contains("; alert sent]"), glass.messages());
            assertEquals(1, bodies.size());
            String alert = bodies.get(0);
            assertTrue(alert.contains("\"severity\":\"critical\""), alert);
            assertTrue(alert.contains("\"event\":\"" + glass.result().eventIds().get(0) + "\""), alert);
            assertTrue(alert.contains("\"proof\":\"break-glass:tok-glass1\""), alert);

            Run refused = run(env(), line(a, b, "refs/heads/main"));
            assertEquals(3, refused.code(), refused.messages());
            assertEquals(2, bodies.size());
            assertTrue(bodies.get(1).contains("\"severity\":\"warning\""), bodies.get(1));
            assertTrue(bodies.get(1).contains("\"event\":\"" + refused.result().eventIds().get(0) + "\""),
                    bodies.get(1));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void undeliveredAlertIsToldAndAudited() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = webhook(500, bodies);
        try {
            writePolicy(POLICY + "alert:\n  webhook: " + url(server) + "\n");
            Files.writeString(gitDir.resolve("gatekeeper/break-glass.secret"), BREAK_GLASS_SECRET + "\n");
            Run run = run(withOptions(env(), "gatekeeper-break-glass=" + breakGlassToken(false)),
                    line(a, b, "refs/heads/main"));

            assertEquals(0, run.code(), run.messages());
            assertTrue(run.messages().contains("alert not delivered to webhook http://127.0.0.1:"), run.messages());
            assertFalse(run.messages().contains("secret-path"), "the webhook URL's path is a secret");
            assertTrue(run.messages().contains("ALERT NOT DELIVERED"), run.messages());
            List<Event> events = events();
            assertEquals(List.of("push.break-glass", "alert.failed"),
                    events.stream().map(Event::type).collect(Collectors.toList()));
            assertEquals(run.result().eventIds().get(0), events.get(1).details().get("alert-for"));
        } finally {
            server.stop(0);
        }
    }
    // ---- bounded audit (a flood) and what landed ----

    private static final String RELEASE_POLICY = POLICY + "  - ref: refs/heads/release/*\n"
            + "    pushers: [ci-bot]\n";

    private List<Event> eventsIn(String file) throws Exception {
        return new EventLog(gitDir.resolve("gatekeeper/" + file), 64L * 1024 * 1024, 5).readAll().events();
    }

    @Test
    void aThousandRefusedRefsWithAThousandJunkTokensAreAHundredEventsOneSummaryAndShortReasons() throws Exception {
        writePolicy(RELEASE_POLICY);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            input.append(line(ZERO, c, "refs/heads/release/r" + i));
        }
        String[] junk = new String[1000];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = "gatekeeper-token=gk1.junk" + i + "." + "x".repeat(60);
        }
        Run run = run(withOptions(env(), junk), input.toString());

        assertEquals(3, run.code());
        List<Event> security = eventsIn("security.jsonl");
        assertEquals(101, security.size(), "100 refusals of their own and one summary");
        assertTrue(eventsIn("events.jsonl").isEmpty() && eventsIn("ledger.jsonl").isEmpty());
        Event summary = security.get(100);
        assertEquals("push.summary", summary.type());
        assertEquals("refused", summary.decision());
        assertEquals("1000", summary.details().get("refs"));
        assertEquals("900", summary.details().get("summarised"));
        assertEquals("1000", summary.details().get("pipeline_tokens"));
        for (Event e : security) {
            assertTrue(EventJson.write(e).length() < 4096, "an event stays small: " + EventJson.write(e).length());
        }
        assertTrue(security.get(0).reason().contains("(x1000)"), "one reason for a thousand identical failures: "
                + security.get(0).reason());
        assertEquals(summary.id(), run.result().eventIds().get(999), "the summary records the refs it summarises");
        assertTrue(run.messages().contains("... and 980 more refused refs [summary event " + summary.id() + "]"),
                run.messages());
        assertTrue(run.messages().split("\n").length < 150, "the pusher reads a screenful, not 6,000 lines");
    }

    @Test
    void everyAllowedProtectedUpdateIsInTheLedgerBeyondTheCapAndLandsThere() throws Exception {
        writePolicy(RELEASE_POLICY);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            input.append(line(a, b, "refs/heads/release/r" + i)); // fast-forwards: the ancestry is asked 300 times
        }
        input.append(line(ZERO, c, "refs/heads/feature/x"));
        Run run = run(env("GL_USERNAME", "ci-bot"), input.toString());

        assertEquals(0, run.code(), run.messages());
        assertEquals(300, eventsIn("ledger.jsonl").size(), "drift needs every protected tip");
        assertEquals(1, eventsIn("events.jsonl").size());

        PostReceiveCommand.Result landed = new PostReceiveCommand().setGitDir(gitDir).setEnvironment(
                env("GL_USERNAME", "ci-bot")).setInput(new ByteArrayInputStream(input.toString()
                .getBytes(StandardCharsets.UTF_8))).setMessages(new PrintStream(new ByteArrayOutputStream())).call();
        assertEquals(ExitCode.OK, landed.exitCode());
        List<Event> ledger = eventsIn("ledger.jsonl");
        assertEquals(600, ledger.size());
        assertEquals(300, ledger.stream().filter(e -> e.type().equals("push.landed")).count());
        Event ordinary = eventsIn("events.jsonl").get(1);
        assertEquals("push.landed", ordinary.type());
        assertEquals("unprotected", ordinary.rule());
        assertEquals("ci-bot", ordinary.pusher());
    }

    @Test
    void whatLandedThroughAnAliasIsRecordedUnderTheRefGitWrote() throws Exception {
        writePolicy(POLICY);
        Files.writeString(gitDir.resolve("refs/heads/master"), "ref: refs/heads/main\n");
        Run refused = run(env(), line(a, b, "refs/heads/master"));
        assertEquals(3, refused.code(), refused.messages());
        assertTrue(refused.messages().contains("REFUSED refs/heads/main (rule: refs/heads/main) through the symbolic"
                + " ref refs/heads/master"), refused.messages());

        PostReceiveCommand.Result landed = new PostReceiveCommand().setGitDir(gitDir).setEnvironment(env())
                .setInput(new ByteArrayInputStream(line(a, b, "refs/heads/master").getBytes(StandardCharsets.UTF_8)))
                .setMessages(new PrintStream(new ByteArrayOutputStream())).call();
        Event e = landed.judged().get(0);
        assertEquals("refs/heads/main", e.ref());
        assertEquals("refs/heads/master", e.details().get("via"));
        assertEquals(List.of(e), eventsIn("ledger.jsonl"));
    }

    @Test
    void whatLandedThatCannotBeRecordedIsAWarningNotASilence() throws Exception {
        writePolicy(POLICY);
        Path notADirectory = Files.writeString(tmp.resolve("plain-file"), "x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PostReceiveCommand.Result r = new PostReceiveCommand().setGitDir(gitDir)
                .setEnvironment(env("GATEKEEPER_AUDIT_LOG", notADirectory.resolve("events.jsonl").toString()))
                .setInput(new ByteArrayInputStream(line(a, b, "refs/heads/main").getBytes(StandardCharsets.UTF_8)))
                .setMessages(new PrintStream(out, true, StandardCharsets.UTF_8)).call();
        assertEquals(ExitCode.INTERNAL_ERROR, r.exitCode());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("cannot record what landed"), out::toString);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("drift will report"), out::toString);
    }
    private PostReceiveCommand.Result postReceive(Map<String, String> env, String input) {
        return new PostReceiveCommand().setGitDir(gitDir).setEnvironment(env)
                .setInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))
                .setMessages(new PrintStream(new ByteArrayOutputStream())).call();
    }

    @Test
    void postReceiveTakesWhatPreReceiveJudgedForThatInputAndOtherwiseJudgesAgain() throws Exception {
        writePolicy(POLICY);
        String both = line(a, b, "refs/heads/main") + line(ZERO, c, "refs/heads/feature/y");
        Map<String, String> env = withOptions(env(), "gatekeeper-token=" + pipelineToken("refs/heads/main", b));
        assertEquals(0, run(env, both).code());
        Path landing = gitDir.resolve("gatekeeper/landing");
        try (var notes = Files.list(landing)) {
            assertEquals(1, notes.filter(p -> p.toString().endsWith(".note")).count(),
                    "pre-receive left one note for this input");
        }
        // the policy changes between the hooks: the note (what judged this push) is what the landing records
        writePolicy("version: 1\nprotected:\n  - ref: refs/heads/other\n");
        assertEquals(ExitCode.OK, postReceive(env, both).exitCode());
        try (var notes = Files.list(landing)) {
            assertEquals(0, notes.count(), "the note (and its input) is taken");
        }
        List<Event> ledger = eventsIn("ledger.jsonl");
        assertEquals(List.of("push.allowed", "push.landed"), ledger.stream().map(Event::type).toList());
        assertEquals("refs/heads/main", ledger.get(1).rule());
        assertEquals("unprotected", eventsIn("events.jsonl").get(1).rule());

        // only one of two updates landed: no note matches, so the recorder reads the (now changed) policy itself
        writePolicy(POLICY);
        assertEquals(0, run(env(), line(ZERO, c, "refs/heads/feature/z") + line(ZERO, c, "refs/heads/other"))
                .code());
        PostReceiveCommand.Result partial = postReceive(env(), line(ZERO, c, "refs/heads/feature/z"));
        assertEquals(List.of("refs/heads/feature/z"), partial.judged().stream().map(Event::ref).toList());
        assertEquals("unprotected", partial.judged().get(0).rule());
    }
    @Test
    void aLandingThePostReceiveScriptRecordedIsInTheTrailAtOnceAndFoldedByTheNextPush() throws Exception {
        writePolicy(POLICY);
        Map<String, String> env = withOptions(env(), "gatekeeper-token=" + pipelineToken("refs/heads/main", b));
        assertEquals(0, run(env, line(a, b, "refs/heads/main")).code());
        Path landing = gitDir.resolve("gatekeeper/landing");
        Path note;
        try (var notes = Files.list(landing)) {
            note = notes.filter(p -> p.toString().endsWith(".note")).findFirst().orElseThrow();
        }
        Files.move(note, note.resolveSibling(note.getFileName().toString().replace(".note", ".landed")));

        List<Event> seen = events(); // the trail as readers see it: the landing is there before any fold
        assertEquals(List.of("push.allowed", "push.landed"), seen.stream().map(Event::type).toList());
        assertTrue(eventsIn("ledger.jsonl").stream().noneMatch(e -> e.type().equals("push.landed")));

        assertEquals(0, run(env(), line(ZERO, c, "refs/heads/feature/next")).code());
        assertEquals(List.of("push.allowed", "push.landed"), eventsIn("ledger.jsonl").stream().map(Event::type)
                .toList(), "folded into the ledger with the next push's own append");
        assertEquals(seen.get(1).id(), eventsIn("ledger.jsonl").get(1).id());
        try (var left = Files.list(landing)) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".landed") || p.toString().contains(".folding-")),
                    "nothing left to fold");
        }
        assertEquals(3, events().size(), "each event once");
    }
}
