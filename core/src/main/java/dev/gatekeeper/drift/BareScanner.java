package dev.gatekeeper.drift;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.git.GitCli;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.install.HookStatus;
import dev.gatekeeper.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bare repository on the git server. Three questions: does every protected ref point where a push through the gate
 * put it (the gate's ledger says which SHAs landed; any other tip was written around the hook, e.g. with
 * {@code git update-ref} or a copy on the server's disk); are the hooks still installed and unchanged
 * ({@link HookStatus}); and are the {@code receive.*} settings at least as strict as the baseline.
 */
final class BareScanner {

    private BareScanner() {}

    static TargetResult scan(Target t, String fingerprint, Map<String, String> env, GitCli git)
            throws IOException, InterruptedException {
        Path gitDir = Path.of(t.location()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(gitDir.resolve("HEAD")) || !Files.isDirectory(gitDir.resolve("objects"))) {
            return TargetResult.error(t, "not a bare git repository: " + gitDir);
        }
        List<Finding> findings = new ArrayList<>();
        bypasses(gitDir, env, findings, git);
        HookStatus.Result hooks = HookStatus.check(gitDir, env);
        String heal = hooks.manifest().isPresent() ? "reinstall the hooks with the runtime in the manifest" : null;
        for (HookStatus.Finding f : hooks.findings()) {
            Finding.Kind kind = f.state() == HookStatus.State.OUTDATED ? Finding.Kind.HOOKS_OUTDATED
                    : Finding.Kind.HOOKS;
            findings.add(new Finding(kind, f.subject(), f.state().label() + ": " + f.reason(), heal));
        }
        for (Map.Entry<String, String> b : t.receive().entrySet()) {
            String key = "receive." + b.getKey();
            GitCli.Result o = git.run(gitDir, "config", "--file", gitDir.resolve("config").toString(), "--get", key);
            String now = o.ok() ? o.line() : null;
            if (!atLeast(b.getValue(), now)) {
                findings.add(new Finding(Finding.Kind.RECEIVE_CONFIG, key, "is " + (now == null ? "unset" : "'" + now + "'")
                        + ", baseline '" + b.getValue() + "'", null));
            }
        }
        return TargetResult.of(t, findings, fingerprint);
    }

    /**
     * Each protected ref's tip must be a commit the gate saw land there: a {@code push.landed} event (post-receive) in
     * the ledger. What was allowed is not enough: a push can be allowed and lose git's ref lock to another, and its
     * commit, written later around the hook, must not pass for provenance. A ref with no landed event at all (its
     * last push predates the post-receive hook) is explained, as before, by an allowed or break-glass push in any of
     * the gate's logs. Symbolic refs are skipped: their target is checked itself.
     */
    private static void bypasses(Path gitDir, Map<String, String> env, List<Finding> findings, GitCli git)
            throws IOException, InterruptedException {
        GateEnvironment ge = GateEnvironment.load(gitDir, env);
        Policy policy = ge.policy();
        Map<String, Set<String>> landed = new HashMap<>();
        Map<String, Set<String>> allowed = new HashMap<>();
        for (Event e : ge.auditTrail().readAll().events()) {
            if (e.ref() == null || e.newId() == null) {
                continue;
            }
            if (e.is(EventType.PUSH_LANDED)) {
                landed.computeIfAbsent(e.ref(), k -> new HashSet<>()).add(e.newId());
            } else if (e.is(EventType.PUSH_ALLOWED) || e.is(EventType.PUSH_BREAK_GLASS)) {
                allowed.computeIfAbsent(e.ref(), k -> new HashSet<>()).add(e.newId());
            }
        }
        String refs = git.must(gitDir, "for-each-ref", "--format=%(objectname) %(symref) %(refname)", "refs/heads",
                "refs/tags").text();
        for (String line : refs.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ", 3);
            if (parts.length < 3 || !parts[1].isEmpty()) {
                continue; // a symbolic ref: git wrote through it to its target, which is checked on its own line
            }
            String sha = parts[0];
            String ref = parts[2];
            // like the gate: without a usable policy every ref counts as protected
            boolean isProtected = policy == null || policy.ruleFor(ref).isPresent();
            Set<String> explained = landed.containsKey(ref) ? landed.get(ref) : allowed.getOrDefault(ref, Set.of());
            if (isProtected && !explained.contains(sha)) {
                findings.add(new Finding(Finding.Kind.BYPASS, ref + "@" + CheckoutScanner.abbrev(sha), ref + " is at "
                        + CheckoutScanner.abbrev(sha) + ", which no push " + (landed.containsKey(ref) ? "landed"
                        : "the gate allowed") + " there (audit trail " + ge.auditTrail().file() + " and beside it):"
                        + " it came around the gate"
                        + (policy == null ? " (no usable policy: " + ge.policyProblem() + ")" : ""), null));
            }
        }
    }

    /** A boolean baseline "true" is met only by true; any other value must be equal. */
    static boolean atLeast(String baseline, String now) {
        if (isBool(baseline)) {
            return !truthy(baseline) || truthy(now);
        }
        return baseline.equals(now);
    }

    private static boolean isBool(String v) {
        return Set.of("true", "false", "yes", "no", "on", "off", "1", "0").contains(v.toLowerCase());
    }

    private static boolean truthy(String v) {
        return v != null && Set.of("true", "yes", "on", "1").contains(v.trim().toLowerCase());
    }
}
