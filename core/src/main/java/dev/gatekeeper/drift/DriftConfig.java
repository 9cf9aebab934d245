package dev.gatekeeper.drift;

import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.settings.StrictYaml;
import dev.gatekeeper.settings.YamlNode;
import dev.gatekeeper.settings.YamlNode.Entry;
import dev.gatekeeper.settings.YamlNode.Mapping;
import dev.gatekeeper.settings.YamlNode.Scalar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The drift config file ({@code --config drift.yaml}), read by the one strict reader ({@link StrictYaml}): an
 * unknown key is an error with file, line and column, because a misspelt {@code reciever:} must not silently scan
 * nothing. Every problem is reported at once. Relative paths resolve against the file's folder.
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

    public static DriftConfig load(Path file) throws SettingsException {
        StrictYaml.Read read = StrictYaml.read(file, "a mapping with 'version: 1' and 'targets:'");
        return new Parser(read.yaml(), read.dir()).parse(read.root());
    }

    private static final class Parser {
        private final StrictYaml yaml;
        private final Path base;

        Parser(StrictYaml yaml, Path base) {
            this.yaml = yaml;
            this.base = base;
        }

        DriftConfig parse(YamlNode root) throws SettingsException {
            Mapping top = mapping(root, null);
            if (top == null) {
                yaml.check(); // throws: the top level is no mapping
            }
            keys(top, TOP);
            yaml.version(top);
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
            if (te == null) {
                problem(top.location(), "targets", "missing", "a list of {checkout|bare|github: …}");
            } else {
                for (YamlNode item : yaml.items(te, "a list of {checkout|bare|github: …}")) {
                    Target t = target(item, defaultBaseline);
                    if (t != null) {
                        targets.add(t);
                    }
                }
            }
            yaml.check();
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
                for (YamlNode n : yaml.items(c, "a list of check names or {context: NAME, appId: ID}")) {
                    RequiredCheck check = check(n);
                    if (check != null) {
                        checks.add(check);
                    }
                }
            }
            List<BypassActor> bypass = d.allowBypass();
            Entry ab = m.entries().get("allowBypass");
            if (ab != null) {
                bypass = new ArrayList<>();
                for (YamlNode n : yaml.items(ab, "a list of {actorType: TYPE, actorId: ID}")) {
                    BypassActor a = bypassActor(n);
                    if (a != null) {
                        bypass.add(a);
                    }
                }
            }
            int reviews = yaml.number(m, "requiredReviews", 0, 6, "a whole number from 0 to 6").map(Long::intValue)
                    .orElse(d.requiredReviews());
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
            return yaml.number(m, key, 0, Long.MAX_VALUE, allowed).orElse(null);
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
            return yaml.bool(m, key, d);
        }

        /** A non-empty single value, or null (with a problem when it is there but not one). */
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
            return yaml.mapping(n, key, null);
        }

        private void keys(Mapping m, Set<String> allowed) {
            yaml.keys(m, allowed);
        }

        private void problem(YamlNode.Location at, String key, String message, String allowed) {
            yaml.problem(at, key, message, allowed);
        }
    }
}
