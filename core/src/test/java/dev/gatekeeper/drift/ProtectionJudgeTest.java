package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.drift.GitHubProtection.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The judge over seeded random protections and baselines: what it could not read never turns into a verdict.
 * "Clean" with classic protection unreadable must stay clean whatever classic protection turns out to be, and
 * "clean" with a ruleset's bypass actors hidden must stay clean whoever they turn out to be; allowing someone more
 * never adds a weakening; and an actor is reported exactly when every source giving a setting lets them skip it
 * (checked against a brute-force model that tries each actor against each source).
 */
class ProtectionJudgeTest {
    private static final int CASES = 3000;
    private static final String[] CONTEXTS = {"build", "test", "context2"};
    private static final Long[] APPS = {null, 123L, 456L};
    private static final List<BypassActor> ACTORS = List.of(
            new BypassActor("OrganizationAdmin", null, "always"), new BypassActor("RepositoryRole", 5L, "always"),
            new BypassActor("RepositoryRole", 4L, "always"), new BypassActor("Integration", 29110L, "always"),
            new BypassActor("Integration", 15368L, "always"), new BypassActor("Team", 7L, "always"),
            new BypassActor("DeployKey", null, "always"));
    private static final String[] MODES = {"always", "pull_request", "exempt"};

    private static List<RequiredCheck> checks(Random r) {
        List<RequiredCheck> out = new ArrayList<>();
        for (String c : CONTEXTS) {
            if (r.nextInt(3) > 0) {
                out.add(new RequiredCheck(c, APPS[r.nextInt(APPS.length)]));
            }
        }
        return out;
    }

    private static List<BypassActor> bypass(Random r) {
        List<BypassActor> out = new ArrayList<>();
        for (BypassActor a : ACTORS) {
            if (r.nextInt(4) == 0) {
                out.add(new BypassActor(a.type(), a.id(), MODES[r.nextInt(MODES.length)]));
            }
        }
        return out;
    }

    private static Source classic(Random r) {
        return new Source(GitHubProtectionReader.CLASSIC, checks(r), r.nextInt(4), r.nextBoolean(), r.nextBoolean(),
                r.nextBoolean(), r.nextBoolean() ? List.of() : List.of(new BypassActor(BypassActor.ADMINS, null,
                        "always")), null);
    }

    private static Source ruleset(Random r, int id, List<BypassActor> bypass, String hidden) {
        return new Source("ruleset #" + id, checks(r), r.nextInt(3), r.nextBoolean(), r.nextBoolean(),
                r.nextBoolean(), bypass, hidden);
    }

    private static Target.ProtectionBaseline baseline(Random r) {
        List<RequiredCheck> checks = new ArrayList<>();
        for (String c : CONTEXTS) {
            if (r.nextInt(3) == 0) {
                checks.add(new RequiredCheck(c, r.nextBoolean() ? null : 123L));
            }
        }
        List<BypassActor> allow = new ArrayList<>();
        for (BypassActor a : ACTORS) {
            if (!a.admin() && r.nextInt(4) == 0) {
                allow.add(new BypassActor(a.type(), r.nextBoolean() ? a.id() : null, null));
            }
        }
        return new Target.ProtectionBaseline(checks, r.nextInt(3), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(),
                r.nextBoolean(), allow);
    }

    private static Set<String> keys(ProtectionJudge.Judgement j) {
        return j.findings().stream().map(Finding::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean clean(ProtectionJudge.Judgement j) {
        return j.findings().isEmpty() && j.cannotTell().isEmpty();
    }

    @Test
    void cleanWithClassicProtectionUnreadableStaysCleanWhateverItIs() {
        int clean = 0;
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            Target.ProtectionBaseline b = baseline(r);
            List<Source> rules = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                rules.add(ruleset(r, i, bypass(r), null));
            }
            ProtectionJudge.Judgement unread = ProtectionJudge.judge(b, new GitHubProtection(rules, "unreadable"));
            assertEquals(List.of(), unread.findings(), "a weakening from what was not read, seed " + seed);
            if (clean(unread)) {
                clean++;
                for (int k = 0; k < 10; k++) {
                    List<Source> all = new ArrayList<>(rules);
                    all.add(0, classic(r));
                    assertTrue(clean(ProtectionJudge.judge(b, new GitHubProtection(all, null))),
                            "clean said too early, seed " + seed + " classic " + all.get(0));
                }
            }
        }
        assertTrue(clean > CASES / 20, "enough clean cases to mean something: " + clean);
    }

    @Test
    void cleanWithBypassActorsHiddenStaysCleanWhoeverTheyAre() {
        int clean = 0;
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            Target.ProtectionBaseline b = baseline(r);
            Source classic = r.nextBoolean() ? classic(r) : null;
            List<Source> known = classic == null ? new ArrayList<>() : new ArrayList<>(List.of(classic));
            Source hiddenRuleset = ruleset(r, 9, List.of(), "hidden");
            List<Source> withHidden = new ArrayList<>(known);
            withHidden.add(hiddenRuleset);
            ProtectionJudge.Judgement j = ProtectionJudge.judge(b, new GitHubProtection(withHidden, null));
            if (clean(j)) {
                clean++;
                for (int k = 0; k < 10; k++) {
                    List<Source> revealed = new ArrayList<>(known);
                    revealed.add(new Source(hiddenRuleset.name(), hiddenRuleset.checks(), hiddenRuleset.reviews(),
                            hiddenRuleset.blocksForcePushes(), hiddenRuleset.blocksDeletion(),
                            hiddenRuleset.requiresSignatures(), bypass(r), null));
                    assertTrue(clean(ProtectionJudge.judge(b, new GitHubProtection(revealed, null))),
                            "clean said too early, seed " + seed);
                }
            }
        }
        assertTrue(clean > CASES / 20, "enough clean cases to mean something: " + clean);
    }

    @Test
    void allowingSomeoneMoreNeverAddsAWeakening() {
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            Target.ProtectionBaseline b = baseline(r);
            List<Source> sources = new ArrayList<>();
            if (r.nextBoolean()) {
                sources.add(classic(r));
            }
            for (int i = r.nextInt(3); i > 0; i--) {
                sources.add(ruleset(r, i, bypass(r), null));
            }
            GitHubProtection p = new GitHubProtection(sources, null);
            Set<String> before = keys(ProtectionJudge.judge(b, p));
            List<BypassActor> more = new ArrayList<>(b.allowBypass());
            BypassActor a = ACTORS.get(r.nextInt(ACTORS.size()));
            if (!a.admin()) {
                more.add(new BypassActor(a.type(), a.id(), null));
            }
            Target.ProtectionBaseline laxer = new Target.ProtectionBaseline(b.requiredChecks(), b.requiredReviews(),
                    b.enforceAdmins() && r.nextBoolean(), b.allowForcePushes(), b.allowDeletions(),
                    b.requireSignatures(), more);
            Set<String> after = keys(ProtectionJudge.judge(laxer, p));
            assertTrue(before.containsAll(after), "seed " + seed + ": " + after + " not within " + before);
        }
    }

    /**
     * Brute force: for the ban on force-pushes, an actor can force-push when every source that bans it exempts
     * them (a pull-request bypass never lets anyone force-push); the judge must report exactly those actors that
     * the baseline does not allow.
     */
    @Test
    void anActorIsReportedExactlyWhenEverySourceLetsThemSkipTheSetting() {
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            Target.ProtectionBaseline b = new Target.ProtectionBaseline(List.of(), 0, r.nextBoolean(), false, true,
                    false, List.of());
            List<Source> sources = new ArrayList<>();
            if (r.nextBoolean()) {
                sources.add(classic(r));
            }
            for (int i = r.nextInt(3) + 1; i > 0; i--) {
                sources.add(ruleset(r, i, bypass(r), null));
            }
            Set<String> expected = new TreeSet<>();
            List<Source> banning = sources.stream().filter(Source::blocksForcePushes).toList();
            List<BypassActor> everyone = new ArrayList<>(ACTORS);
            everyone.add(new BypassActor(BypassActor.ADMINS, null, "always"));
            if (banning.isEmpty()) {
                expected.add("protection:allow_force_pushes");
            } else {
                for (BypassActor actor : everyone) {
                    boolean skips = banning.stream().allMatch(s -> s.bypass().stream().anyMatch(e ->
                            (e.admin() ? actor.admin() : e.type().equals(actor.type())
                                    && java.util.Objects.equals(e.id(), actor.id()))
                            && !"pull_request".equals(e.mode())));
                    boolean allowed = actor.admin() && !b.enforceAdmins();
                    if (skips && !allowed) {
                        expected.add(actor.admin() ? "protection:enforce_admins/allow_force_pushes"
                                : "protection:bypass/allow_force_pushes/" + actor.key());
                    }
                }
            }
            assertEquals(expected, keys(ProtectionJudge.judge(b, new GitHubProtection(sources, null))),
                    "seed " + seed + ": " + sources);
        }
    }
}
