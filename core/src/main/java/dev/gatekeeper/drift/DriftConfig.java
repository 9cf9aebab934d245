package dev.gatekeeper.drift;

import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.YamlNode;
import dev.gatekeeper.policy.YamlNode.Entry;
import dev.gatekeeper.policy.YamlNode.Mapping;
import dev.gatekeeper.policy.YamlNode.Scalar;
import dev.gatekeeper.policy.YamlNode.Sequence;
import dev.gatekeeper.policy.YamlTreeReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The drift config file ({@code --config drift.yaml}), strict like the policy: an unknown key is an error with
 * file, line and column, because a misspelt {@code reciever:} must not silently scan nothing. Every problem is
 * reported at once. Relative paths resolve against the file's folder.
 *
 * <pre>
 * version: 1
 * github: {apiUrl: https://api.github.com, tokenEnv: GITHUB_TOKEN, baseline: {...}}
 * targets:
 *   - checkout: /srv/app          # branch: main, expect: &lt;sha&gt;
 *   - bare: /srv/git/app.git      # receive: {denyNonFastForwards: true}
 *   - github: owner/repo          # branch: main, baseline: {...}
 * </pre>
 */
public record DriftConfig(List<Target> targets, String githubApiUrl, String githubTokenEnv) {
    static final Set<String> TOP = Set.of("version", "github", "targets");
    static final Set<String> GITHUB = Set.of("apiUrl", "tokenEnv", "baseline");
    static final Set<String> TARGET = Set.of("checkout", "bare", "github", "branch", "expect", "receive", "baseline");
    static final Set<String> BASELINE = Set.of("requiredChecks", "requiredReviews", "enforceAdmins",
            "allowForcePushes", "allowDeletions", "requireSignatures", "allowBypass");
    static final Set<String> CHECK = Set.of("context", "appId");
    static final Set<String> BYPASS = Set.of("actorType", "actorId");

    public static DriftConfig load(Path file) throws PolicyException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException(List.of(new PolicyException.Problem(file.toString(), 1, 1, null,
                    "cannot read: " + e.getMessage(), "a readable YAML file")));
        }
        Path base = file.toAbsolutePath().getParent();
        return new Parser(file.toString(), base).parse(new YamlTreeReader(file.toString()).read(new StringReader(text)));
    }

    private static final class Parser {
        private final String file;
        private final Path base;
        private final List<PolicyException.Problem> problems = new ArrayList<>();

        Parser(String file, Path base) {
            this.file = file;
            this.base = base;
        }

        DriftConfig parse(YamlNode root) throws PolicyException {
            Mapping top = mapping(root, null);
            if (top == null) {
                throw new PolicyException(problems);
            }
            keys(top, TOP);
            Entry v = top.entries().get("version");
            if (v == null || !"1".equals(scalar(v))) {
                problem(v == null ? top.location() : v.value().location(), "version", "must be 1", "version: 1");
            }
            String apiUrl = null;
            String tokenEnv = "GITHUB_TOKEN";
            Target.ProtectionBaseline defaultBaseline = Target.ProtectionBaseline.DEFAULT;
            Entry gh = top.entries().get("github");
            Mapping g = gh == null ? null : mapping(gh.value(), "github");
            if (g != null) {
                keys(g, GITHUB);
                apiUrl = text(g, "apiUrl");
                tokenEnv = text(g, "tokenEnv") == null ? tokenEnv : text(g, "tokenEnv");
                defaultBaseline = baseline(g.entries().get("baseline"), defaultBaseline);
            }
            List<Target> targets = new ArrayList<>();
            Entry te = top.entries().get("targets");
            if (te == null || !(te.value() instanceof Sequence seq)) {
                problem(te == null ? top.location() : te.value().location(), "targets", "missing or not a list",
                        "a list of {checkout|bare|github: …}");
            } else {
                for (YamlNode item : seq.items()) {
                    Target t = target(item, defaultBaseline);
                    if (t != null) {
                        targets.add(t);
                    }
                }
            }
            if (!problems.isEmpty()) {
                problems.sort(java.util.Comparator.comparingInt(PolicyException.Problem::line)
                        .thenComparingInt(PolicyException.Problem::column));
                throw new PolicyException(problems);
            }
            return new DriftConfig(targets, apiUrl, tokenEnv);
        }

        private Target target(YamlNode item, Target.ProtectionBaseline defaultBaseline) {
            Mapping m = mapping(item, "targets");
            if (m == null) {
                return null;
            }
            keys(m, TARGET);
            List<String> kinds = new ArrayList<>();
            for (String k : List.of("checkout", "bare", "github")) {
                if (m.entries().containsKey(k)) {
                    kinds.add(k);
                }
            }
            if (kinds.size() != 1) {
                problem(m.location(), null, "each target needs exactly one of checkout, bare, github (has "
                        + kinds + ")", "checkout: DIR | bare: DIR | github: OWNER/REPO");
                return null;
            }
            String kind = kinds.get(0);
            String where = text(m, kind);
            if (where == null) {
                return null;
            }
            String branch = text(m, "branch");
            String expect = text(m, "expect");
            switch (kind) {
                case "checkout" -> {
                    notFor(m, kind, "receive", "baseline");
                    return Target.checkout(base.resolve(where).normalize().toString(), branch, expect);
                }
                case "bare" -> {
                    notFor(m, kind, "branch", "expect", "baseline");
                    Map<String, String> receive = new LinkedHashMap<>();
                    Entry r = m.entries().get("receive");
                    Mapping rm = r == null ? null : mapping(r.value(), "receive");
                    if (rm != null) {
                        for (Entry e : rm.entries().values()) {
                            String val = scalar(e);
                            if (val != null) {
                                receive.put(e.key(), val);
                            }
                        }
                    }
                    return Target.bare(base.resolve(where).normalize().toString(), receive);
                }
                default -> {
                    notFor(m, kind, "expect", "receive");
                    if (!where.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                        problem(m.entries().get(kind).value().location(), kind, "not OWNER/REPO", "owner/repo");
                    }
                    return Target.github(where, branch, baseline(m.entries().get("baseline"), defaultBaseline));
                }
            }
        }

        private Target.ProtectionBaseline baseline(Entry e, Target.ProtectionBaseline d) {
            Mapping m = e == null ? null : mapping(e.value(), "baseline");
            if (m == null) {
                return d;
            }
            keys(m, BASELINE);
            List<RequiredCheck> checks = d.requiredChecks();
            Entry c = m.entries().get("requiredChecks");
            if (c != null) {
                checks = new ArrayList<>();
                if (c.value() instanceof Sequence s) {
                    for (YamlNode n : s.items()) {
                        RequiredCheck check = check(n);
                        if (check != null) {
                            checks.add(check);
                        }
                    }
                } else {
                    problem(c.value().location(), "requiredChecks", "must be a list",
                            "a list of check names or {context: NAME, appId: ID}");
                }
            }
            List<BypassActor> bypass = d.allowBypass();
            Entry ab = m.entries().get("allowBypass");
            if (ab != null) {
                bypass = new ArrayList<>();
                if (ab.value() instanceof Sequence s) {
                    for (YamlNode n : s.items()) {
                        BypassActor a = bypassActor(n);
                        if (a != null) {
                            bypass.add(a);
                        }
                    }
                } else {
                    problem(ab.value().location(), "allowBypass", "must be a list",
                            "a list of {actorType: TYPE, actorId: ID}");
                }
            }
            int reviews = d.requiredReviews();
            String r = text(m, "requiredReviews");
            if (r != null) {
                try {
                    reviews = Integer.parseInt(r);
                } catch (NumberFormatException ex) {
                    problem(m.entries().get("requiredReviews").value().location(), "requiredReviews",
                            "invalid value '" + r + "'", "a whole number");
                }
            }
            return new Target.ProtectionBaseline(checks, reviews, bool(m, "enforceAdmins", d.enforceAdmins()),
                    bool(m, "allowForcePushes", d.allowForcePushes()), bool(m, "allowDeletions", d.allowDeletions()),
                    bool(m, "requireSignatures", d.requireSignatures()), bypass);
        }

        /** {@code build} (from any source) or {@code {context: build, appId: 15368}} (only from that app). */
        private RequiredCheck check(YamlNode n) {
            if (n instanceof Scalar sc && sc.value() != null && !sc.value().isBlank()) {
                return RequiredCheck.named(sc.value());
            }
            if (n instanceof Mapping cm) {
                keys(cm, CHECK);
                String context = cm.entries().containsKey("context") ? text(cm, "context") : null;
                if (context == null) {
                    problem(cm.location(), "context", "missing", "the check's name");
                    return null;
                }
                Long app = wholeNumber(cm, "appId", "the GitHub App's id (GitHub Actions: 15368)");
                return new RequiredCheck(context, app);
            }
            problem(n.location(), "requiredChecks", "invalid item", "a check name or {context: NAME, appId: ID}");
            return null;
        }

        /** {@code {actorType: Integration, actorId: 29110}}; admins are for {@code enforceAdmins} to allow. */
        private BypassActor bypassActor(YamlNode n) {
            Mapping am = mapping(n, "allowBypass");
            if (am == null) {
                return null;
            }
            keys(am, BYPASS);
            String type = am.entries().containsKey("actorType") ? text(am, "actorType") : null;
            if (type == null) {
                problem(am.location(), "actorType", "missing", String.join(", ", BypassActor.TYPES));
                return null;
            }
            Long id = wholeNumber(am, "actorId", "the actor's id (omit: every actor of the type)");
            if (!BypassActor.TYPES.contains(type)) {
                problem(am.entries().get("actorType").value().location(), "actorType", "unknown actor type '"
                        + type + "'", String.join(", ", BypassActor.TYPES));
                return null;
            }
            BypassActor a = new BypassActor(type, id, null);
            if (a.admin()) {
                problem(am.location(), "allowBypass", type + (id == null ? "" : " " + id) + " is an admin: whether "
                        + "admins may bypass is enforceAdmins' to say", "enforceAdmins: false");
                return null;
            }
            return a;
        }

        private Long wholeNumber(Mapping m, String key, String allowed) {
            String v = m.entries().containsKey(key) ? text(m, key) : null;
            if (v == null) {
                return null;
            }
            try {
                long l = Long.parseLong(v);
                if (l >= 0) {
                    return l;
                }
            } catch (NumberFormatException e) {
                // one message below
            }
            problem(m.entries().get(key).value().location(), key, "invalid value '" + v + "'", allowed);
            return null;
        }

        private void notFor(Mapping m, String kind, String... keys) {
            for (String k : keys) {
                Entry e = m.entries().get(k);
                if (e != null) {
                    problem(e.keyLocation(), k, "does not apply to a " + kind + " target", null);
                }
            }
        }

        private boolean bool(Mapping m, String key, boolean d) {
            String s = text(m, key);
            if (s == null) {
                return d;
            }
            if (!s.equals("true") && !s.equals("false")) {
                problem(m.entries().get(key).value().location(), key, "invalid value '" + s + "'", "true or false");
                return d;
            }
            return Boolean.parseBoolean(s);
        }

        private String text(Mapping m, String key) {
            Entry e = m.entries().get(key);
            return e == null ? null : scalar(e);
        }

        private String scalar(Entry e) {
            if (e.value() instanceof Scalar s && s.value() != null && !s.value().isBlank()) {
                return s.value();
            }
            problem(e.value().location(), e.key(), "must be a single non-empty value", null);
            return null;
        }

        private Mapping mapping(YamlNode n, String key) {
            if (n instanceof Mapping m) {
                return m;
            }
            problem(n.location(), key, "must be a mapping", null);
            return null;
        }

        private void keys(Mapping m, Set<String> allowed) {
            for (Entry e : m.entries().values()) {
                if (!allowed.contains(e.key())) {
                    problem(e.keyLocation(), e.key(), "unknown key", String.join(", ", new TreeSet<>(allowed)));
                }
            }
        }

        private void problem(YamlNode.Location at, String key, String message, String allowed) {
            problems.add(new PolicyException.Problem(file, at.line(), at.column(), key, message, allowed));
        }
    }
}
