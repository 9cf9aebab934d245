package dev.gatekeeper.gate;

import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.identity.RepositoryIdentity;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.notify.WebhookNotifier;
import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.PolicyLoader;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the gate learns from the server side of a repository: the policy (or why there is none), the
 * repository's identity, the audit trail and where alerts go. Shared by the server hooks and the CLI.
 */
public final class GateEnvironment {
    public static final String ENV_AUDIT_LOG = "GATEKEEPER_AUDIT_LOG";
    /**
     * When the policy names no alert target (or cannot be read, so that a broken policy still raises an alert):
     * this variable, then {@code $GIT_DIR/gatekeeper/alert.url}, then {@code <config dir>/alert.url}.
     */
    public static final String ENV_ALERT_WEBHOOK = "GATEKEEPER_ALERT_WEBHOOK";
    public static final String ALERT_URL_FILE = "alert.url";
    public static final long DEFAULT_MAX_FILE = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES = 5;

    private final Path gitDir;
    private final Map<String, String> env;
    private final Policy policy;
    private final String policyProblem;
    private final String policySource;
    private RepositoryIdentity identity;
    private AuditTrail trail;

    private GateEnvironment(Path gitDir, Map<String, String> env, Policy policy, String problem, String source) {
        this.gitDir = gitDir;
        this.env = env;
        this.policy = policy;
        this.policyProblem = problem;
        this.policySource = source;
    }

    /** Locates and loads the policy; never throws for a missing or broken one (the gate fails closed). */
    public static GateEnvironment load(Path gitDir, Map<String, String> env) {
        Optional<PolicyLocator.Located> located = PolicyLocator.locate(env, gitDir);
        if (located.isEmpty()) {
            return new GateEnvironment(gitDir, env, null, "no policy found (looked at $" + PolicyLocator.ENV_POLICY
                    + ", " + PolicyLocator.repoDir(gitDir).resolve(PolicyLocator.POLICY_FILE) + " and "
                    + PolicyLocator.configDir(env).resolve(PolicyLocator.POLICY_FILE) + ")", null);
        }
        Path path = located.get().path();
        try {
            return new GateEnvironment(gitDir, env, PolicyLoader.load(path), null, path.toString());
        } catch (PolicyException e) {
            Problem first = e.problems().isEmpty() ? null : e.problems().get(0);
            String msg = first == null ? "invalid policy " + path : "invalid policy: " + first
                    + (e.problems().size() > 1 ? " (+" + (e.problems().size() - 1) + " more)" : "");
            return new GateEnvironment(gitDir, env, null, msg, path.toString());
        }
    }

    public Policy policy() {
        return policy;
    }

    public String policyProblem() {
        return policyProblem;
    }

    public String policySource() {
        return policySource;
    }

    public Path gitDir() {
        return gitDir;
    }

    /** The identity tokens are bound to (see {@link RepositoryIdentity} for where it comes from). */
    public RepositoryIdentity identity() {
        if (identity == null) {
            identity = RepositoryIdentity.ofServer(gitDir, env,
                    policy == null ? Optional.empty() : policy.repository(), policy == null ? null : policy.source());
        }
        return identity;
    }

    /** The identity's name, as events and alerts record it. */
    public String repositoryName() {
        return identity().id();
    }

    /** {@code app} for {@code /srv/git/app.git}: the folder name without ".git". */
    public static String nameOf(Path gitDir) {
        return RepositoryIdentity.folderName(gitDir);
    }

    /**
     * The ordinary audit log: {@code $GATEKEEPER_AUDIT_LOG}, else the policy's {@code audit.log}, else
     * {@code $GIT_DIR/gatekeeper/events.jsonl}. Security events and the ledger are beside it ({@link #auditTrail()}).
     */
    public EventLog eventLog() {
        return auditTrail().log(AuditTrail.Retention.ORDINARY);
    }

    /** The three audit files, each with its own budget: ordinary traffic, security events, the ledger. */
    public AuditTrail auditTrail() {
        if (trail == null) {
            String override = env.get(ENV_AUDIT_LOG);
            Path file;
            if (override != null && !override.isBlank()) {
                file = Path.of(override);
            } else if (policy != null && policy.audit().log().isPresent()) {
                file = policy.audit().log().get();
            } else {
                file = PolicyLocator.repoDir(gitDir).resolve("events.jsonl");
            }
            Policy.Audit a = policy == null ? null : policy.audit();
            trail = new AuditTrail(file,
                    a == null ? new AuditTrail.Budget(DEFAULT_MAX_FILE, DEFAULT_MAX_FILES)
                            : new AuditTrail.Budget(a.maxFileBytes(), a.maxFiles()),
                    budget(a == null ? Policy.Audit.DEFAULT_SECURITY : a.security()),
                    budget(a == null ? Policy.Audit.DEFAULT_LEDGER : a.ledger()))
                    .withPending(() -> LandingNote.pending(gitDir));
        }
        return trail;
    }

    private static AuditTrail.Budget budget(Policy.Budget b) {
        return new AuditTrail.Budget(b.maxFileBytes(), b.maxFiles());
    }

    /** Whether alerts of {@code kind} ("break-glass", "refused", "policy-error") should be sent. */
    public boolean alertsOn(String kind) {
        if (policy == null) {
            return true;
        }
        return policy.alert().on().contains(kind);
    }

    /** The alert channel, if any is configured; the URL itself is treated as a secret. */
    public Optional<Notifier> notifier() {
        java.time.Duration timeout = policy == null ? java.time.Duration.ofSeconds(3) : policy.alert().timeout();
        Optional<String> url = Optional.empty();
        if (policy != null) {
            Policy.Alert a = policy.alert();
            url = a.webhook();
            if (url.isEmpty() && a.webhookEnv().isPresent()) {
                url = Optional.ofNullable(env.get(a.webhookEnv().get())).filter(s -> !s.isBlank());
            }
            if (url.isEmpty() && a.webhookFile().isPresent()) {
                url = readFirstLine(a.webhookFile().get());
            }
        }
        if (url.isEmpty()) {
            url = Optional.ofNullable(env.get(ENV_ALERT_WEBHOOK)).filter(s -> !s.isBlank());
        }
        if (url.isEmpty()) {
            url = readFirstLine(PolicyLocator.repoDir(gitDir).resolve(ALERT_URL_FILE));
        }
        if (url.isEmpty()) {
            url = readFirstLine(PolicyLocator.configDir(env).resolve(ALERT_URL_FILE));
        }
        java.time.Duration t = timeout;
        return url.map(u -> new WebhookNotifier(u.trim(), t));
    }

    private static Optional<String> readFirstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
