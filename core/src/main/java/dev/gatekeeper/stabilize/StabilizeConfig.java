package dev.gatekeeper.stabilize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.policy.Units;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --config FILE} of stabilize: the same settings as the options, in YAML, with richer probes. Options
 * given on the command line win over the file. Unknown keys are errors (a typo must not silently drop a probe).
 *
 * <pre>
 * branch: main
 * wait: 60s
 * samples: 5
 * interval: 5s
 * failureLimit: 1
 * consecutiveErrorLimit: 4
 * holdOnErrors: false        # true: errors past the limit hold (exit 4) instead of reverting
 * probes:
 *   - http: https://app.example.com/health
 *     method: GET
 *     status: 200-299
 *     bodyRegex: '"ok"'
 *     json: status=UP
 *     timeout: 2s
 *     headers: {Authorization: HEALTH_AUTH}   # value read from $HEALTH_AUTH
 *   - tcp: 127.0.0.1:5432
 *   - cmd: ./smoke-test.sh
 * deploy: systemctl restart app
 * notify: [slack:SLACK_WEBHOOK_URL, webhook:PAGER_URL]
 * tokenSecretFile: /etc/gatekeeper/pipeline.secret
 * repoName: app
 * </pre>
 */
public final class StabilizeConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("dir", "remote", "branch", "commit", "wait", "confirmWait",
            "probes", "samples", "interval", "failureLimit", "consecutiveErrorLimit", "deploy", "deployTimeout",
            "notify", "tokenSecretEnv", "tokenSecretFile", "repoName", "maxRevertsPerDay", "auditLog", "holdOnErrors");
    private static final Set<String> PROBE_KEYS = Set.of("http", "tcp", "cmd", "method", "status", "bodyRegex",
            "json", "timeout", "headers");

    private final Path file;
    private final JsonNode root;

    private StabilizeConfig(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static StabilizeConfig load(Path file) throws GatekeeperException {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw bad(file, "cannot read: " + e.getMessage().split("\n")[0]);
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "expected a mapping of settings");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw bad(file, "unknown key '" + k + "' (known: " + String.join(", ", KEYS.stream().sorted().toList())
                        + ")");
            }
        }
        return new StabilizeConfig(file, root);
    }

    /** Sets everything the file names on {@code s}; the caller applies command-line options afterwards. */
    public void applyTo(Stabilize s, SamplingPlan[] plan) throws GatekeeperException {
        try {
            text("dir").ifPresent(v -> s.setDirectory(file.toAbsolutePath().getParent().resolve(v)));
            text("remote").ifPresent(s::setRemote);
            text("branch").ifPresent(s::setBranch);
            text("commit").ifPresent(s::setCommit);
            text("wait").map(Units::duration).ifPresent(s::setWait);
            text("confirmWait").map(Units::duration).ifPresent(s::setConfirmWait);
            text("deploy").ifPresent(s::setDeploy);
            text("deployTimeout").map(Units::duration).ifPresent(s::setDeployTimeout);
            text("tokenSecretEnv").ifPresent(s::setTokenSecretEnv);
            text("tokenSecretFile").map(Path::of).ifPresent(s::setTokenSecretFile);
            text("repoName").ifPresent(s::setRepoName);
            text("auditLog").map(Path::of).ifPresent(s::setAuditLog);
            text("maxRevertsPerDay").map(Integer::parseInt).ifPresent(s::setDailyCap);
            text("holdOnErrors").map(v -> flag("holdOnErrors", v)).ifPresent(s::setHoldOnErrors);
            SamplingPlan p = plan[0];
            plan[0] = new SamplingPlan(text("samples").map(Integer::parseInt).orElse(p.samples()),
                    text("interval").map(Units::duration).orElse(p.interval()),
                    text("failureLimit").map(Integer::parseInt).orElse(p.failureLimit()),
                    text("consecutiveErrorLimit").map(Integer::parseInt).orElse(p.consecutiveErrorLimit()));
            if (root.has("probes")) {
                s.setProbes(probes(root.get("probes")));
            }
            if (root.has("notify")) {
                List<NotifyTarget> targets = new ArrayList<>();
                for (JsonNode n : list(root.get("notify"), "notify")) {
                    targets.add(NotifyTarget.parse(n.asText()));
                }
                s.setNotify(targets);
            }
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
    }

    private List<ProbeSpec> probes(JsonNode node) {
        List<ProbeSpec> out = new ArrayList<>();
        for (JsonNode n : list(node, "probes")) {
            if (n.isTextual()) {
                out.add(ProbeSpec.parse(n.asText()));
                continue;
            }
            if (!n.isObject()) {
                throw new IllegalArgumentException("probes: each probe is a string or a mapping");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!PROBE_KEYS.contains(k)) {
                    throw new IllegalArgumentException("probes: unknown key '" + k + "'");
                }
            }
            ProbeSpec p = n.has("http") ? ProbeSpec.parse("http:" + n.get("http").asText())
                    : n.has("tcp") ? ProbeSpec.parse("tcp:" + n.get("tcp").asText())
                    : n.has("cmd") ? ProbeSpec.parse("cmd:" + n.get("cmd").asText())
                    : null;
            if (p == null) {
                throw new IllegalArgumentException("probes: a probe needs http, tcp or cmd");
            }
            if (n.has("method")) {
                p.method(n.get("method").asText());
            }
            if (n.has("status")) {
                p.status(n.get("status").asText());
            }
            if (n.has("bodyRegex")) {
                p.bodyRegex(n.get("bodyRegex").asText());
            }
            if (n.has("json")) {
                p.json(n.get("json").asText());
            }
            if (n.has("timeout")) {
                p.timeout(Units.duration(n.get("timeout").asText()));
            }
            if (n.has("headers")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.get("headers").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> h = it.next();
                    p.header(h.getKey(), h.getValue().asText());
                }
            }
            out.add(p);
        }
        return out;
    }

    private static List<JsonNode> list(JsonNode node, String key) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (node.isTextual() || node.isObject()) {
            out.add(node);
        } else {
            throw new IllegalArgumentException(key + ": expected a list");
        }
        return out;
    }

    private static boolean flag(String key, String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(key + ": expected true or false, not '" + v + "'");
    }

    private java.util.Optional<String> text(String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? java.util.Optional.empty() : java.util.Optional.of(n.asText());
    }

    private static GatekeeperException bad(Path file, String message) {
        return new GatekeeperException(ExitCode.USAGE, file + ": " + message);
    }
}
