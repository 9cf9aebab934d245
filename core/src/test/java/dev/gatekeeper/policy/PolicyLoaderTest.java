package dev.gatekeeper.policy;

import dev.gatekeeper.settings.Problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

    private static final String RULE_KEYS =
            "allowDeletion, allowForcePush, howToLand, pushers, ref, signedPush, token";

    private static Path fixture(String name) throws Exception {
        URL url = PolicyLoaderTest.class.getResource(name);
        assertNotNull(url, "missing test fixture " + name);
        return Path.of(url.toURI());
    }

    private static PolicyException failure(String fixture) throws Exception {
        Path p = fixture(fixture);
        return assertThrows(PolicyException.class, () -> PolicyLoader.load(p));
    }

    private static Problem onlyProblem(PolicyException e) {
        assertEquals(1, e.problems().size(), () -> "expected exactly one problem, got:\n" + e.getMessage());
        return e.problems().get(0);
    }

    private static Policy parse(String yaml) throws PolicyException {
        return PolicyLoader.parse(new StringReader(yaml), "inline.yaml", Path.of("/srv/policies"));
    }

    private static PolicyException parseFailure(String yaml) {
        return assertThrows(PolicyException.class, () -> parse(yaml));
    }

    private static void assertAt(Problem p, int line, int column) {
        assertEquals(line + ":" + column, p.line() + ":" + p.column(), () -> "position of " + p);
    }

    // ---- valid policies ----

    @Test
    void fullPolicyLoadsEveryKey() throws Exception {
        Path file = fixture("full.yaml");
        Path dir = file.toAbsolutePath().normalize().getParent();
        Policy p = PolicyLoader.load(file);

        assertEquals(file.toAbsolutePath().normalize(), p.source());
        assertEquals(1, p.version());
        assertEquals(Optional.of("app"), p.repository());

        Policy.Identity id = p.identity();
        assertEquals(List.of("GL_USERNAME", "REMOTE_USER"), id.pusherEnv());
        assertEquals("APP_PIPELINE_SECRET", id.token().secretEnv());
        assertEquals(dir.resolve("secrets/pipeline.secret"), id.token().secretFile());
        assertTrue(id.token().secretFile().isAbsolute());
        assertEquals(Duration.ofMinutes(15), id.token().maxTtl());
        assertEquals(List.of("0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567", "89ABCDEF01234567"),
                id.signedPushKeys());

        assertEquals(3, p.protectedRefs().size());
        Policy.ProtectedRef main = p.protectedRefs().get(0);
        assertEquals("refs/heads/main", main.pattern().glob());
        assertEquals(List.of("ci-bot"), main.pushers());
        assertTrue(main.acceptToken());
        assertTrue(main.acceptSigned());
        assertFalse(main.allowForcePush());
        assertFalse(main.allowDeletion());
        assertEquals("Open a merge request; the pipeline merges it.", main.howToLand());

        Policy.ProtectedRef release = p.protectedRefs().get(1);
        assertEquals("refs/heads/release/**", release.pattern().glob());
        assertEquals(List.of("release-bot", "ci-bot"), release.pushers());
        assertFalse(release.acceptToken());
        assertFalse(release.acceptSigned());
        assertTrue(release.allowForcePush());
        assertTrue(release.allowDeletion());
        assertEquals(PolicyLoader.DEFAULT_HOW_TO_LAND, release.howToLand());

        Policy.ProtectedRef tags = p.protectedRefs().get(2);
        assertEquals("refs/tags/v*", tags.pattern().glob());
        assertEquals(List.of(), tags.pushers());
        assertTrue(tags.acceptToken());
        assertFalse(tags.acceptSigned());
        assertFalse(tags.allowForcePush());
        assertFalse(tags.allowDeletion());

        assertEquals(Optional.of(dir.resolve("logs/audit.jsonl")), p.audit().log());
        assertEquals(2L * 1024 * 1024, p.audit().maxFileBytes());
        assertEquals(7, p.audit().maxFiles());

        Policy.Alert alert = p.alert();
        assertTrue(alert.configured());
        assertEquals(Optional.of("https://hooks.example.com/services/T000/B000"), alert.webhook());
        assertEquals(Optional.of("APP_WEBHOOK"), alert.webhookEnv());
        // absolute paths are kept as they are, not rebased onto the policy's folder
        assertEquals(Optional.of(Path.of("/etc/gatekeeper/webhook.url")), alert.webhookFile());
        assertEquals(Set.of("break-glass", "refused", "policy-error"), alert.on());
        assertEquals(Duration.ofSeconds(5), alert.timeout());
    }

    @Test
    void fullPolicyRulesMatchInOrder() throws Exception {
        Policy p = PolicyLoader.load(fixture("full.yaml"));
        assertEquals("refs/heads/main", p.ruleFor("refs/heads/main").orElseThrow().pattern().glob());
        assertEquals("refs/heads/release/**",
                p.ruleFor("refs/heads/release/1.0/hotfix").orElseThrow().pattern().glob());
        assertEquals("refs/tags/v*", p.ruleFor("refs/tags/v1.2.3").orElseThrow().pattern().glob());
        assertTrue(p.ruleFor("refs/heads/feature/x").isEmpty());
        assertTrue(p.ruleFor("refs/heads/mainline").isEmpty());
        assertTrue(p.ruleFor("refs/tags/1.0").isEmpty());
    }

    @Test
    void minimalPolicyGetsSafeDefaults() throws Exception {
        Path file = fixture("minimal.yaml");
        Path dir = file.toAbsolutePath().normalize().getParent();
        Policy p = PolicyLoader.load(file);

        assertEquals(1, p.version());
        assertEquals(Optional.empty(), p.repository());
        assertEquals(List.of(), p.identity().pusherEnv());
        assertEquals(List.of(), p.identity().signedPushKeys());
        assertEquals("GATEKEEPER_PIPELINE_SECRET", p.identity().token().secretEnv());
        assertEquals(dir.resolve("pipeline.secret"), p.identity().token().secretFile());
        assertEquals(Duration.ofHours(1), p.identity().token().maxTtl());

        Policy.ProtectedRef rule = p.protectedRefs().get(0);
        assertTrue(rule.acceptToken(), "a pipeline token is accepted by default");
        assertFalse(rule.acceptSigned());
        assertFalse(rule.allowForcePush(), "force-push is refused by default");
        assertFalse(rule.allowDeletion(), "deletion is refused by default");
        assertEquals(List.of(), rule.pushers());
        assertEquals(PolicyLoader.DEFAULT_HOW_TO_LAND, rule.howToLand());

        assertEquals(Optional.empty(), p.audit().log());
        assertEquals(10L * 1024 * 1024, p.audit().maxFileBytes());
        assertEquals(5, p.audit().maxFiles());

        assertFalse(p.alert().configured());
        assertEquals(Set.of("break-glass", "policy-error"), p.alert().on());
        assertEquals(Duration.ofSeconds(3), p.alert().timeout());
    }

    @Test
    void tokenSectionWithOnlyMaxTtlKeepsTheOtherDefaults() throws Exception {
        Policy p = parse("version: 1\nidentity:\n  token:\n    maxTtl: 30m\nprotected:\n  - ref: refs/heads/main\n");
        assertEquals(Duration.ofMinutes(30), p.identity().token().maxTtl());
        assertEquals("GATEKEEPER_PIPELINE_SECRET", p.identity().token().secretEnv());
        assertEquals(Path.of("/srv/policies/pipeline.secret"), p.identity().token().secretFile());
    }

    @Test
    void parseResolvesRelativePathsAgainstTheGivenFolder() throws Exception {
        Policy p = parse("version: 1\nprotected:\n  - ref: refs/heads/main\naudit:\n  log: ../audit/events.jsonl\n");
        assertEquals(Path.of("/srv/policies/../audit/events.jsonl"), p.audit().log().orElseThrow());
        assertEquals(Path.of("/srv/policies/inline.yaml"), p.source());
    }

    @Test
    void loadResolvesRelativePathsAgainstThePolicyFolderNotTheWorkingDirectory(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("etc/gatekeeper"));
        Path file = Files.writeString(dir.resolve("policy.yaml"),
                "version: 1\nidentity:\n  token:\n    secretFile: pipeline.secret\n"
                        + "protected:\n  - ref: refs/heads/main\naudit:\n  log: events.jsonl\n");
        Policy p = PolicyLoader.load(file);
        assertEquals(dir.resolve("pipeline.secret"), p.identity().token().secretFile());
        assertEquals(dir.resolve("events.jsonl"), p.audit().log().orElseThrow());
    }

    @Test
    void flowStyleYamlIsAccepted() throws Exception {
        Policy p = parse("{version: 1, protected: [{ref: refs/heads/main, allowDeletion: true}]}");
        assertTrue(p.protectedRefs().get(0).allowDeletion());
    }

    @Test
    void quotedVersionIsAccepted() throws Exception {
        assertEquals(1, parse("version: \"1\"\nprotected:\n  - ref: refs/heads/main\n").version());
    }

    // ---- errors, one at a time ----

    @Test
    void unknownKeyIsAnErrorWithFileLineColumnKeyAndAllowedKeys() throws Exception {
        Path file = fixture("unknown-key.yaml");
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(file));
        Problem p = onlyProblem(e);
        assertEquals(file.toString(), p.file());
        assertAt(p, 4, 5);
        assertEquals("alowDeletion", p.key());
        assertEquals("unknown key", p.message());
        assertEquals(RULE_KEYS, p.allowed());
        assertEquals(file + ":4:5: 'alowDeletion': unknown key (allowed: " + RULE_KEYS + ")", e.getMessage());
    }

    @Test
    void unknownTopLevelKeyListsTheTopLevelKeys() {
        Problem p = onlyProblem(parseFailure(
                "version: 1\nprotected:\n  - ref: refs/heads/main\nprotect: []\n"));
        assertAt(p, 4, 1);
        assertEquals("protect", p.key());
        assertEquals("alert, audit, identity, protected, repository, version", p.allowed());
    }

    @Test
    void duplicateKeyIsAnError() throws Exception {
        Problem p = onlyProblem(failure("duplicate-key.yaml"));
        assertAt(p, 5, 5);
        assertEquals("allowDeletion", p.key());
        assertEquals("duplicate key", p.message());
    }

    @Test
    void duplicateTopLevelKeyIsAnError() {
        Problem p = onlyProblem(parseFailure(
                "version: 1\nprotected:\n  - ref: refs/heads/main\nprotected:\n  - ref: refs/heads/dev\n"));
        assertAt(p, 4, 1);
        assertEquals("protected", p.key());
    }

    @Test
    void wrongTypesAreErrors() throws Exception {
        PolicyException e = failure("wrong-type.yaml");
        assertEquals(3, e.problems().size(), e::getMessage);
        Problem identity = problemFor(e, "identity");
        assertAt(identity, 2, 11);
        assertEquals("must be a mapping", identity.message());
        Problem pushers = problemFor(e, "pushers");
        assertAt(pushers, 5, 14);
        assertEquals("must be a list", pushers.message());
        Problem how = problemFor(e, "howToLand");
        assertAt(how, 6, 16);
        assertEquals("must be a single value", how.message());
    }

    @Test
    void protectedMustBeAList() {
        Problem p = onlyProblem(parseFailure("version: 1\nprotected: refs/heads/main\n"));
        assertEquals("protected", p.key());
        assertEquals("must be a list", p.message());
        assertAt(p, 2, 12);
    }

    @Test
    void ruleWithoutRefIsAnError() {
        Problem p = onlyProblem(parseFailure("version: 1\nprotected:\n  - token: true\n"));
        assertEquals("ref", p.key());
        assertEquals("missing", p.message());
    }

    @Test
    void badDurationIsAnError() throws Exception {
        Problem p = onlyProblem(failure("bad-duration.yaml"));
        assertAt(p, 4, 13);
        assertEquals("maxTtl", p.key());
        assertEquals("invalid value '1h30m'", p.message());
        assertTrue(p.allowed().contains("15m"), p.allowed());
    }

    @Test
    void badBooleanIsAnError() throws Exception {
        Problem p = onlyProblem(failure("bad-boolean.yaml"));
        assertAt(p, 4, 21);
        assertEquals("allowForcePush", p.key());
        assertEquals("invalid value 'yes'", p.message());
        assertEquals("true or false", p.allowed());
    }

    @Test
    void emptyBooleanIsAnErrorNotTheDefault() {
        Problem p = onlyProblem(parseFailure(
                "version: 1\nprotected:\n  - ref: refs/heads/main\n    allowDeletion:\n"));
        assertEquals("allowDeletion", p.key());
        assertEquals("must be a single value", p.message());
    }

    @Test
    void invalidRefPatternIsAnError() throws Exception {
        Problem p = onlyProblem(failure("bad-ref.yaml"));
        assertAt(p, 3, 10);
        assertEquals("ref", p.key());
        assertEquals("invalid pattern 'heads/main'", p.message());
        assertTrue(p.allowed().contains("refs/"), p.allowed());
    }

    @Test
    void missingVersionIsAnError() throws Exception {
        Problem p = onlyProblem(failure("missing-version.yaml"));
        assertEquals("version", p.key());
        assertEquals("missing", p.message());
        assertEquals("version: 1", p.allowed());
        assertAt(p, 1, 1);
    }

    @Test
    void unsupportedVersionIsAnError() throws Exception {
        Problem p = onlyProblem(failure("unsupported-version.yaml"));
        assertEquals("version", p.key());
        assertEquals("unsupported version '2'", p.message());
        assertEquals("1", p.allowed());
        assertAt(p, 1, 10);
    }

    @Test
    void missingProtectedIsAnError() throws Exception {
        Problem p = onlyProblem(failure("missing-protected.yaml"));
        assertEquals("protected", p.key());
        assertEquals("missing", p.message());
    }

    @Test
    void emptyFileIsAnError() throws Exception {
        Path file = fixture("empty.yaml");
        assertEquals(0, Files.size(file));
        Problem p = onlyProblem(failure("empty.yaml"));
        assertEquals(file.toString(), p.file());
        assertNull(p.key());
        assertTrue(p.message().contains("empty"), p.message());
        assertAt(p, 1, 1);
    }

    @Test
    void commentOnlyFileIsEmpty() {
        Problem p = onlyProblem(parseFailure("# nothing here yet\n"));
        assertTrue(p.message().contains("empty"), p.message());
    }

    @Test
    void invalidYamlSyntaxIsAnErrorAtTheRightLine() throws Exception {
        Problem p = onlyProblem(failure("invalid-syntax.yaml"));
        assertTrue(p.message().startsWith("not valid YAML"), p.message());
        assertEquals("well-formed YAML", p.allowed());
        assertAt(p, 4, 4);
    }

    @Test
    void topLevelScalarIsAnError() {
        Problem p = onlyProblem(parseFailure("just a string\n"));
        assertEquals("must be a mapping", p.message());
    }

    @Test
    void twoDocumentsAreAnError() {
        Problem p = onlyProblem(parseFailure(
                "version: 1\nprotected:\n  - ref: refs/heads/main\n---\nversion: 1\n"));
        assertTrue(p.message().contains("more than one YAML document"), p.message());
        assertEquals(5, p.line());
    }

    @Test
    void missingFileIsAPolicyException(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope.yaml");
        Problem p = onlyProblem(assertThrows(PolicyException.class, () -> PolicyLoader.load(missing)));
        assertEquals(missing.toString(), p.file());
        assertTrue(p.message().startsWith("cannot read the policy file"), p.message());
    }

    @Test
    void valueChecksInAuditAndAlert() {
        PolicyException e = parseFailure("version: 1\nprotected:\n  - ref: refs/heads/main\n"
                + "audit:\n  maxFileSize: 100\n  maxFiles: 1001\n"
                + "alert:\n  webhook: ftp://example.com\n  on: [refused, pushed]\n  timeout: soon\n");
        assertEquals(Set.of("maxFileSize", "maxFiles", "webhook", "on", "timeout"), keys(e), e.getMessage());
        assertEquals("too small", problemFor(e, "maxFileSize").message());
        assertEquals("not an http(s) URL", problemFor(e, "webhook").message());
        assertEquals("unknown alert event 'pushed'", problemFor(e, "on").message());
    }

    @Test
    void emptyStringValueIsAnError() {
        Problem p = onlyProblem(parseFailure(
                "version: 1\nrepository: \"  \"\nprotected:\n  - ref: refs/heads/main\n"));
        assertEquals("repository", p.key());
        assertEquals("must not be empty", p.message());
    }

    @Test
    void hugeNumbersAreInvalidValuesNotCrashesOrWrapAround() {
        // 2^53+1 GB overflows a long; it must not wrap around to a small, "valid" size
        PolicyException e = parseFailure("version: 1\nidentity:\n  token:\n    maxTtl: 9223372036854775807d\n"
                + "protected:\n  - ref: refs/heads/main\naudit:\n  maxFileSize: 9007199254740993GB\n");
        assertEquals(Set.of("maxTtl", "maxFileSize"), keys(e), e.getMessage());
        assertEquals("invalid value '9223372036854775807d'", problemFor(e, "maxTtl").message());
        assertEquals("invalid value '9007199254740993GB'", problemFor(e, "maxFileSize").message());
    }

    // ---- several problems at once ----

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Path file = fixture("many-problems.yaml");
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(file));
        assertEquals(5, e.problems().size(), e::getMessage);
        Set<String> where = e.problems().stream().map(p -> p.key() + "@" + p.line() + ":" + p.column())
                .collect(Collectors.toSet());
        assertEquals(Set.of("maxTtl@4:13", "ref@6:10", "alowDeletion@7:5", "allowForcePush@8:21", "maxFiles@10:13"),
                where);
        for (Problem p : e.problems()) {
            assertEquals(file.toString(), p.file());
            assertNotNull(p.allowed(), p::toString);
        }
        // the message has one line per problem
        assertEquals(5, e.getMessage().split("\n").length);
    }

    private static Problem problemFor(PolicyException e, String key) {
        return e.problems().stream().filter(p -> key.equals(p.key())).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for '" + key + "' in:\n" + e.getMessage()));
    }

    private static Set<String> keys(PolicyException e) {
        return e.problems().stream().map(Problem::key).collect(Collectors.toSet());
    }
    // ---- size caps and hostile input: bounded time and memory ----

    private static String scalarPolicy(int scalarChars) {
        return "version: 1\nprotected:\n  - ref: refs/heads/main\n    howToLand: \"" + "a".repeat(scalarChars)
                + "\"\n";
    }

    @Test
    void aPolicyAtTheCapIsReadAndOneByteMoreIsRefusedBeforeParsingWithItsSize(@TempDir Path tmp) throws Exception {
        int overhead = scalarPolicy(0).length();
        Path atCap = Files.writeString(tmp.resolve("at-cap.yaml"), scalarPolicy(PolicyLoader.MAX_POLICY_BYTES
                - overhead));
        assertEquals(PolicyLoader.MAX_POLICY_BYTES, Files.size(atCap));
        assertEquals(1, PolicyLoader.load(atCap).protectedRefs().size());

        Path over = Files.writeString(tmp.resolve("over.yaml"), scalarPolicy(PolicyLoader.MAX_POLICY_BYTES
                - overhead + 1));
        Problem p = onlyProblem(assertThrows(PolicyException.class, () -> PolicyLoader.load(over)));
        assertEquals("the policy file is " + (PolicyLoader.MAX_POLICY_BYTES + 1) + " bytes; a policy may have at most "
                + PolicyLoader.MAX_POLICY_BYTES + " bytes (256 KB): refused before parsing", p.message());
        assertAt(p, 1, 1);
        Problem chars = onlyProblem(parseFailure(scalarPolicy(PolicyLoader.MAX_POLICY_BYTES)));
        assertTrue(chars.message().contains("refused before parsing"), chars.message());
    }

    @Test
    void somethingThatIsNotARegularFileIsRefusedWithoutReadingIt(@TempDir Path tmp) {
        Problem dir = onlyProblem(assertThrows(PolicyException.class, () -> PolicyLoader.load(tmp)));
        assertEquals("not a regular file", dir.message());
        Problem zero = onlyProblem(assertThrows(PolicyException.class,
                () -> PolicyLoader.load(Path.of("/dev/zero"))));
        assertEquals("not a regular file", zero.message());
    }

    /**
     * Hostile documents up to the cap, seeded: long scalars of every style, deep flow and block nesting, anchors and
     * aliases in bulk, many keys, long keys, tags, binary noise. Each must end as a policy or a PolicyException with
     * a position, never another exception or a hang (the timeout is a backstop: the whole set parses in seconds).
     */
    @org.junit.jupiter.api.Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
    @Test
    void hostileDocumentsUpToTheCapEndAsAPolicyOrAProblemNeverAHang() {
        int cap = PolicyLoader.MAX_POLICY_BYTES - 200;
        List<String> docs = new java.util.ArrayList<>();
        docs.add(scalarPolicy(cap));
        docs.add("version: 1\nprotected:\n  - ref: refs/heads/main\n    howToLand: '" + "b".repeat(cap) + "'\n");
        docs.add("version: 1\nprotected:\n  - ref: refs/heads/main\n    howToLand: |\n      " + "c".repeat(cap) + "\n");
        docs.add("version: 1\nprotected:\n  - ref: refs/heads/main\n    howToLand: \"" + "\\u00e9".repeat(cap / 6)
                + "\"\n");
        docs.add("version: 1\nprotected: " + "[".repeat(cap / 2) + "]".repeat(cap / 2) + "\n");
        docs.add("version: 1\nprotected: " + "{a: ".repeat(cap / 5) + "}".repeat(cap / 5) + "\n");
        StringBuilder block = new StringBuilder("version: 1\nprotected:\n");
        for (int i = 0; block.length() < cap - 4000 && i < 4000; i++) {
            block.append(" ".repeat(Math.min(i, 2000))).append("k").append(i).append(":\n");
        }
        docs.add(block.toString());
        StringBuilder laughs = new StringBuilder("version: 1\nprotected:\n  - ref: refs/heads/main\n"
                + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; laughs.length() < cap - 500 && i < 9; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [").append(
                    String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        docs.add(laughs.toString());
        StringBuilder keys = new StringBuilder("version: 1\nprotected:\n  - ref: refs/heads/main\n");
        for (int i = 0; keys.length() < cap - 100; i++) {
            keys.append("    k").append(i).append(": v\n");
        }
        docs.add(keys.toString());
        docs.add("version: 1\n" + "k".repeat(cap) + ": 1\nprotected:\n  - ref: refs/heads/main\n");
        docs.add("version: !!binary " + "QUJD".repeat(cap / 4) + "\nprotected: []\n");
        java.util.Random rnd = new java.util.Random(12);
        String alphabet = "[]{}:,-?&*!|>'\"%@`#\n\t abc123\u00e9\\";
        for (int d = 0; d < 20; d++) {
            StringBuilder noise = new StringBuilder("version: 1\n");
            int len = 1000 + rnd.nextInt(cap - 1000);
            while (noise.length() < len) {
                noise.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            docs.add(noise.toString());
        }
        for (String doc : docs) {
            assertTrue(doc.length() <= PolicyLoader.MAX_POLICY_BYTES, "within the cap: " + doc.length());
            try {
                parse(doc);
            } catch (PolicyException e) {
                assertFalse(e.problems().isEmpty());
                for (Problem p : e.problems()) {
                    assertTrue(p.line() >= 1 && p.column() >= 1, p.toString());
                }
            }
        }
    }
}
