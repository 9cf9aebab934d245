package dev.gatekeeper.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.gate.PushCredentials;
import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.token.BreakGlass;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Proves that an installed gate judges pushes: runs the hook git will run, as the repository's owner (the user git
 * runs hooks as), from the repository, with the environment a push gives it, on two synthetic updates that change
 * nothing: the creation of an unprotected ref (must pass, and leave its event in the audit log) and of a protected
 * one (with a pipeline token minted from the secret the gate will read: must pass; without a secret: must be refused
 * by that rule, not by fail-closed). A pre-receive hook only judges; git writes refs after it, so no ref changes.
 *
 * <p>What each failure means is a {@link HookStatus.State}: the script could not find java or its jar (RUNTIME
 * MISSING), the file cannot be executed (NOT RUN BY GIT), the gate failed closed for want of a policy (CANNOT READ
 * POLICY), no event reached the log (CANNOT AUDIT), the pipeline token or the break-glass secret was unusable for
 * the gate (CANNOT READ SECRET). The chained hook never sees the synthetic updates ({@link HookScript#ENV_SELF_TEST}).
 * Alerts are whatever the policy asks for: a broken install alerts like a broken push would. In the audit log its
 * events show the pusher {@value #PUSHER} and new ids beginning {@code 5e1f7e57}, an object no repository has.
 */
public final class HookSelfTest {
    /** The pusher the self-test's events show (it is no pipeline identity, and no person). */
    public static final String PUSHER = dev.gatekeeper.events.Event.SELF_TEST_PUSHER;
    /** One JVM start plus a policy read takes well under a second; far longer means it hangs. */
    static final long TIMEOUT_SECONDS = 60;
    /** The audit log tail searched for the synthetic updates' events. */
    static final int TAIL_BYTES = 1 << 20;
    private static final String ZERO40 = "0".repeat(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What a hook is given from the environment it is installed or checked from (the server's configuration). */
    private static final List<String> PASSED_THROUGH = List.of("PATH", "JAVA_HOME", "LANG", "TMPDIR",
            "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL");

    private HookSelfTest() {}

    public enum Verdict { PASSED, FAILED, SKIPPED }

    /**
     * @param state INSTALLED when it passed (or was skipped), else what is wrong
     * @param reason one line: what was proven, what failed, or why it could not run
     * @param notes what else a human should know (no pipeline secret yet, say)
     */
    public record Result(Verdict verdict, HookStatus.State state, String reason, List<String> notes, Duration took) {
        static Result skipped(String why) {
            return new Result(Verdict.SKIPPED, HookStatus.State.INSTALLED, why, List.of(), Duration.ZERO);
        }

        public boolean failed() {
            return verdict == Verdict.FAILED;
        }
    }

    /**
     * Runs the self-test on an installed server hook.
     *
     * @param env the environment to take the server's configuration from ({@code GATEKEEPER_*}, PATH, JAVA_HOME)
     */
    public static Result run(Path gitDir, HookManifest manifest, Map<String, String> env) {
        long started = System.nanoTime();
        if (manifest.client()) {
            return Result.skipped("client hooks are advisory; the self-test proves server hooks");
        }
        Owner owner;
        try {
            owner = Owner.of(gitDir);
        } catch (IOException e) {
            return Result.skipped("cannot tell who owns " + gitDir + ": " + e.getMessage());
        }
        List<String> prefix;
        if (owner.isCurrentUser()) {
            prefix = List.of();
        } else if (Owner.runningAsRoot() && Owner.canSwitchUsers()) {
            prefix = owner.runAsPrefix();
        } else if (Owner.runningAsRoot()) {
            return Result.skipped("NOT PROVEN: setpriv (util-linux) is not installed, so root cannot run the hook as "
                    + owner.describe() + "; install util-linux, or run 'gatekeeper hooks status' as " + owner.name());
        } else {
            return Result.skipped("the self-test runs the hook as the repository's owner, " + owner.describe()
                    + "; run it as root or as " + owner.name());
        }
        try {
            Entry entry = entry(gitDir, manifest, owner, env);
            if (entry.problem != null) {
                return failed(HookStatus.State.NOT_RUN_BY_GIT, entry.problem, started);
            }
            Map<String, String> hookEnv = hookEnvironment(gitDir, manifest.layout(), owner, env);
            GateEnvironment ge = GateEnvironment.load(gitDir, hookEnv);
            Policy policy = ge.policy();
            String nonce = HexFormat.of().formatHex(randomBytes(6));
            boolean sha256 = "sha256".equalsIgnoreCase(String.valueOf(RepoConfig.get(gitDir, "extensions.objectFormat")));
            String fake = fakeId(sha256);
            String zero = sha256 ? "0".repeat(64) : ZERO40;
            List<String> notes = new ArrayList<>();

            // 1. an unprotected ref: the gate must run, read its policy and write its audit log
            String free = unprotectedRef(policy, nonce);
            Outcome one = runHook(entry, prefix, gitDir, hookEnv, nonce, zero + " " + fake + " " + free + "\n",
                    Map.of());
            Result r = judgeRun(one, ge, gitDir, hookEnv, free, fake, started);
            if (r != null) {
                return r;
            }
            if (policy != null && policy.ruleFor(free).isPresent()) {
                notes.add("every ref is protected by the policy: nothing can be pushed without a pipeline proof");
            }

            // 2. a protected ref: proven with the pipeline's token when there is a secret, else refused by its rule
            Optional<ProtectedRef> prot = protectedRef(policy, nonce);
            if (prot.isPresent()) {
                Optional<Secret> secret;
                try {
                    secret = Secret.load(hookEnv, policy.identity().token().secretEnv(),
                            policy.identity().token().secretFile());
                } catch (IllegalStateException e) {
                    return failed(HookStatus.State.CANNOT_READ_SECRET, e.getMessage(), started);
                }
                Map<String, String> options = new LinkedHashMap<>();
                if (secret.isPresent() && prot.get().rule().acceptToken()) {
                    Instant now = Instant.now();
                    String token = TokenCodec.mint(new TokenClaims(TokenClaims.Kind.PIPELINE, TokenCodec.newId(),
                            ge.repositoryName(), prot.get().ref(), Optional.of(fake), now, now.plusSeconds(300),
                            Optional.empty(), Optional.of("gatekeeper self-test"), false), secret.get());
                    options.put("GIT_PUSH_OPTION_COUNT", "1");
                    options.put("GIT_PUSH_OPTION_0", PushCredentials.TOKEN_OPTION + token);
                } else if (prot.get().rule().acceptToken()) {
                    notes.add("no pipeline secret (" + policy.identity().token().secretFile() + " or $"
                            + policy.identity().token().secretEnv() + "): pipeline tokens cannot pass protected refs"
                            + " until one is installed (gatekeeper token new-secret --install " + gitDir + ")");
                }
                Outcome two = runHook(entry, prefix, gitDir, hookEnv, nonce,
                        zero + " " + fake + " " + prot.get().ref() + "\n", options);
                r = judgeProtected(two, ge, gitDir, hookEnv, prot.get(), fake, !options.isEmpty(), started);
                if (r != null) {
                    return r;
                }
            }

            // 3. the break-glass secret the gate would use must be readable for it
            Optional<Path> breakGlass = breakGlassFile(gitDir, hookEnv);
            if (breakGlass.isPresent() && !readableAs(breakGlass.get(), prefix, gitDir)) {
                return failed(HookStatus.State.CANNOT_READ_SECRET, "the break-glass secret " + breakGlass.get()
                        + " is not readable for " + owner.describe() + ": break-glass cannot get through (give it"
                        + " to the owner: gatekeeper token new-secret --install " + gitDir + " --kind break-glass)",
                        started);
            }
            String proven = "the gate ran as " + owner.name() + " from " + entry.describe(gitDir)
                    + ", read its policy (" + (ge.policySource() == null ? "none" : ge.policySource())
                    + "), and audited to " + ge.eventLog().file();
            return new Result(Verdict.PASSED, HookStatus.State.INSTALLED, proven, List.copyOf(notes),
                    took(started));
        } catch (IOException | RuntimeException e) {
            return failed(HookStatus.State.GATE_FAILED, "the self-test could not run: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), started);
        }
    }

    /** What to run: the file git (or the dispatcher) runs for this layout, and how. */
    private static final class Entry {
        Path file;
        /** Run by a dispatcher that gives the hook the input as {@code echo "$data"} does (Gitea) or as is. */
        boolean echoedInput;
        String problem;

        String describe(Path gitDir) {
            return InstallFiles.relative(gitDir, file);
        }
    }

    private static Entry entry(Path gitDir, HookManifest m, Owner owner, Map<String, String> env)
            throws IOException {
        Entry e = new Entry();
        HookManifest.InstalledFile installed = m.files().stream().filter(f -> f.hook().equals("pre-receive"))
                .findFirst().orElseThrow(() -> new IOException("the manifest names no pre-receive hook"));
        Path ours = gitDir.resolve(installed.path()).toAbsolutePath().normalize();
        GitHooksDir.Where where = GitHooksDir.of(gitDir, owner, env);
        Optional<String> dispatcher = m.layout().dispatcherProblem(gitDir, where.dir());
        if (dispatcher.isPresent()) {
            e.problem = dispatcher.get();
            return e;
        }
        switch (m.layout()) {
            case PLAIN -> {
                Path runs = where.dir().resolve("pre-receive");
                if (!runs.equals(ours)) {
                    e.problem = "git runs " + runs + " (" + where.describe() + "), not " + ours
                            + ": pushes are not judged";
                    return e;
                }
                e.file = runs;
            }
            case GITEA -> {
                e.file = ours;
                e.echoedInput = true;
            }
            default -> e.file = ours;
        }
        return e;
    }

    /** The environment git (or the server) gives a pre-receive hook, for this layout, as the owner. */
    static Map<String, String> hookEnvironment(Path gitDir, HookLayout layout, Owner owner, Map<String, String> env)
            throws IOException {
        Map<String, String> e = new LinkedHashMap<>();
        for (String k : PASSED_THROUGH) {
            if (env.get(k) != null) {
                e.put(k, env.get(k));
            }
        }
        e.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (Map.Entry<String, String> v : env.entrySet()) {
            if (v.getKey().startsWith("GATEKEEPER_") && !v.getKey().equals(HookScript.ENV_SELF_TEST)
                    && !v.getKey().equals(HookScript.ENV_JAVA_MOVED) && !v.getKey().equals(HookScript.ENV_JAVA_USED)
                    && !v.getKey().equals(HookScript.ENV_JAR_MOVED) && !v.getKey().equals(HookScript.ENV_JAR_USED)) {
                e.put(v.getKey(), v.getValue());
            }
        }
        if (owner.isCurrentUser()) {
            if (env.get("HOME") != null) {
                e.put("HOME", env.get("HOME"));
            }
        } else {
            owner.home().ifPresent(h -> e.put("HOME", h.toString()));
            e.remove("GIT_CONFIG_GLOBAL");
        }
        // the gate records $USER as the pusher when the server names none: the audit log shows these as self-tests
        e.put("USER", PUSHER);
        e.put("LOGNAME", owner.name());
        if (layout == HookLayout.GITLAB) {
            // Gitaly: GIT_DIR is the repository's absolute path, and GL_* describe the push
            e.put("GIT_DIR", gitDir.toAbsolutePath().normalize().toString());
            e.put("GL_PROTOCOL", "web");
            String full = RepoConfig.get(gitDir, "gitlab.fullpath");
            if (full != null) {
                e.put("GL_PROJECT_PATH", full);
            }
            // a hook set with 'gitaly hooks set' reads the policy that came with it, as its script says
            Path beside = gitDir.resolve(GitalyTarball.POLICY_PATH);
            if (!e.containsKey("GATEKEEPER_POLICY") && Files.isRegularFile(beside)) {
                e.put("GATEKEEPER_POLICY", beside.toAbsolutePath().normalize().toString());
            }
        } else {
            e.put("GIT_DIR", ".");
        }
        return e;
    }

    private record Outcome(int exit, String stdout, String stderr, String command) {}

    private static Outcome runHook(Entry entry, List<String> prefix, Path gitDir, Map<String, String> hookEnv,
            String nonce, String input, Map<String, String> options) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(entry.file.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(gitDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(hookEnv);
        pb.environment().putAll(options);
        pb.environment().put(HookScript.ENV_SELF_TEST, nonce);
        Path in = Files.createTempFile("gatekeeper-selftest", ".in");
        Path out = Files.createTempFile("gatekeeper-selftest", ".out");
        Path err = Files.createTempFile("gatekeeper-selftest", ".err");
        try {
            // Gitea's dispatcher hands each hook echo "$(cat)": the input without trailing newlines, plus one
            Files.writeString(in, entry.echoedInput ? input.stripTrailing() + "\n" : input, StandardCharsets.UTF_8);
            pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new Outcome(126, "", e.getMessage(), String.join(" ", cmd));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Outcome(-1, "", "did not finish within " + TIMEOUT_SECONDS + " s", String.join(" ", cmd));
            }
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), String.join(" ", cmd));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Null when the unprotected update passed and was audited; else the failure. */
    private static Result judgeRun(Outcome o, GateEnvironment ge, Path gitDir, Map<String, String> hookEnv,
            String ref, String newId, long started) throws IOException {
        Result early = scriptFailure(o, started);
        if (early != null) {
            return early;
        }
        Optional<JsonNode> event = findEvent(ge, gitDir, ref, newId);
        if (event.isEmpty()) {
            return failed(HookStatus.State.CANNOT_AUDIT, "the gate wrote no event for an unprotected update: "
                    + firstGateLine(o, "cannot write the audit log", "audit") + " (exit " + o.exit() + ")", started);
        }
        JsonNode e = event.get();
        if ("fail-closed".equals(e.path("rule").asText())) {
            return failed(HookStatus.State.CANNOT_READ_POLICY, "the gate has no usable policy: "
                    + e.path("reason").asText(), started);
        }
        if (o.exit() != 0 || !"allowed".equals(e.path("decision").asText())) {
            String why = o.stderr().contains("could not be audited")
                    ? null : e.path("reason").asText();
            if (why == null) {
                return failed(HookStatus.State.CANNOT_AUDIT, firstGateLine(o, "cannot write the audit log",
                        "audited"), started);
            }
            return failed(HookStatus.State.GATE_FAILED, "an unprotected update was refused (exit " + o.exit() + "): "
                    + why, started);
        }
        return null;
    }

    private static Result judgeProtected(Outcome o, GateEnvironment ge, Path gitDir, Map<String, String> hookEnv,
            ProtectedRef prot, String newId, boolean withToken, long started) throws IOException {
        Result early = scriptFailure(o, started);
        if (early != null) {
            return early;
        }
        Optional<JsonNode> event = findEvent(ge, gitDir, prot.ref(), newId);
        if (event.isEmpty()) {
            return failed(HookStatus.State.CANNOT_AUDIT, "the gate wrote no event for a protected update: "
                    + firstGateLine(o, "cannot write the audit log", "audit") + " (exit " + o.exit() + ")", started);
        }
        JsonNode e = event.get();
        String rule = e.path("rule").asText();
        if ("fail-closed".equals(rule)) {
            return failed(HookStatus.State.CANNOT_READ_POLICY, "the gate has no usable policy: "
                    + e.path("reason").asText(), started);
        }
        if (!rule.equals(prot.rule().pattern().glob())) {
            return failed(HookStatus.State.GATE_FAILED, prot.ref() + " was judged by rule '" + rule + "', not by '"
                    + prot.rule().pattern().glob() + "': " + e.path("reason").asText(), started);
        }
        boolean allowed = "allowed".equals(e.path("decision").asText());
        if (withToken && (!allowed || o.exit() != 0)) {
            return failed(HookStatus.State.CANNOT_READ_SECRET, "a pipeline token minted from the secret the gate"
                    + " reads was refused: " + e.path("reason").asText(), started);
        }
        if (!withToken && (allowed || o.exit() == 0)) {
            return failed(HookStatus.State.GATE_FAILED, prot.ref() + " was let through without any proof", started);
        }
        return null;
    }

    /** Failures of the script itself, before or instead of the gate. */
    private static Result scriptFailure(Outcome o, long started) {
        String first = o.stderr().lines().findFirst().orElse("").strip();
        if (o.exit() == -1) {
            return failed(HookStatus.State.GATE_FAILED, "the hook " + o.stderr(), started);
        }
        if (first.contains("refused (fail closed): java runtime") || first.contains("refused (fail closed): hook jar")
                || first.contains("is missing; reinstall")) {
            return failed(HookStatus.State.RUNTIME_MISSING, first, started);
        }
        if (o.exit() == 126 || o.exit() == 127) {
            return failed(HookStatus.State.NOT_RUN_BY_GIT, "the hook cannot be executed (" + o.command() + ": exit "
                    + o.exit() + (first.isEmpty() ? "" : ", " + first) + "): git skips it", started);
        }
        if (first.contains("Error: Could not find or load main class")
                || o.stderr().contains("UnsupportedClassVersionError")) {
            return failed(HookStatus.State.RUNTIME_MISSING, first, started);
        }
        return null;
    }

    private static String firstGateLine(Outcome o, String preferred, String fallback) {
        return o.stderr().lines().filter(l -> l.contains(preferred)).findFirst()
                .or(() -> o.stderr().lines().filter(l -> l.contains(fallback)).findFirst())
                .or(() -> o.stderr().lines().findFirst()).orElse("(the hook printed nothing)").strip();
    }

    /**
     * The event the gate wrote for this synthetic update (its ref and its random new id, newest first): searched in
     * the tail of every log it may have used (the one its policy names and the repository's default, since a gate
     * without a policy falls back to the default).
     */
    private static Optional<JsonNode> findEvent(GateEnvironment ge, Path gitDir, String ref, String newId)
            throws IOException {
        Set<Path> logs = new LinkedHashSet<>();
        // the gate keeps an event in one of three files: ordinary, security (refusals) and the ledger
        for (GateEnvironment g : List.of(ge, GateEnvironment.load(gitDir, Map.of("GIT_DIR", ".")))) {
            for (AuditTrail.Retention r : AuditTrail.Retention.values()) {
                logs.add(g.auditTrail().log(r).file());
            }
        }
        logs.add(gitDir.resolve("gatekeeper/events.jsonl").toAbsolutePath().normalize());
        for (Path log : logs) {
            List<String> lines = tail(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (!line.contains(ref)) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    String recorded = n.path("new").asText("");
                    if (ref.equals(n.path("ref").asText()) && (recorded.isEmpty() || recorded.equals(newId))) {
                        return Optional.of(n);
                    }
                } catch (IOException notJson) {
                    // a torn line: not ours
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> tail(Path log) throws IOException {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - TAIL_BYTES);
            byte[] b = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** A protected ref and the rule that protects it. */
    record ProtectedRef(String ref, Policy.ProtectedRef rule) {}

    static String unprotectedRef(Policy policy, String nonce) {
        List<String> candidates = List.of("refs/heads/gatekeeper-self-test/" + nonce,
                "refs/gatekeeper-self-test/" + nonce, "refs/notes/gatekeeper-self-test-" + nonce);
        if (policy != null) {
            for (String c : candidates) {
                if (policy.ruleFor(c).isEmpty()) {
                    return c;
                }
            }
        }
        return candidates.get(0);
    }

    /** A concrete ref each rule's pattern matches, judged by that very rule (the first that yields one). */
    static Optional<ProtectedRef> protectedRef(Policy policy, String nonce) {
        if (policy == null) {
            return Optional.empty();
        }
        for (Policy.ProtectedRef rule : policy.protectedRefs()) {
            String glob = rule.pattern().glob();
            String ref = glob.replace("**", "gatekeeper-self-test").replace("*", "gatekeeper-self-test-" + nonce);
            Optional<Policy.ProtectedRef> judged = policy.ruleFor(ref);
            if (rule.pattern().matches(ref) && judged.isPresent() && judged.get() == rule) {
                return Optional.of(new ProtectedRef(ref, rule));
            }
        }
        return Optional.empty();
    }

    /** The file the gate takes the break-glass secret from, if any (an environment variable needs no file). */
    static Optional<Path> breakGlassFile(Path gitDir, Map<String, String> env) {
        String inEnv = env.get(BreakGlass.ENV_SECRET);
        if (inEnv != null && !inEnv.isEmpty()) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        String named = env.get(BreakGlass.ENV_SECRET_FILE);
        if (named != null && !named.isBlank()) {
            candidates.add(Path.of(named));
        }
        candidates.add(gitDir.resolve("gatekeeper").resolve(BreakGlass.FILE_NAME));
        candidates.add(dev.gatekeeper.policy.PolicyLocator.configDir(env).resolve(BreakGlass.FILE_NAME));
        return candidates.stream().filter(Files::exists).findFirst();
    }

    /** Whether the owner (through {@code prefix}) can read {@code file}: asked of the system, ACLs and all. */
    private static boolean readableAs(Path file, List<String> prefix, Path cwd) throws IOException {
        if (prefix.isEmpty()) {
            return Files.isReadable(file);
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("test", "-r", file.toString()));
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** An id no object has: "5e1f7e57" ("self-test") then random hex. */
    static String fakeId(boolean sha256) {
        String hex = "5e1f7e57" + HexFormat.of().formatHex(randomBytes(32));
        return hex.substring(0, sha256 ? 64 : 40);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static Result failed(HookStatus.State state, String reason, long started) {
        return new Result(Verdict.FAILED, state, reason, List.of(), took(started));
    }

    private static Duration took(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
