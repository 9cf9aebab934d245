package dev.gatekeeper.drift;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.gatekeeper.github.GitHubAnswers.answer;
import static dev.gatekeeper.github.GitHubAnswers.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.github.GitHubAnswers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift's GitHub check as a user runs it (a drift.yaml, a scan, an exit code) against our own answers written in
 * the shapes GitHub sends (resources/…/drift/github-written/README.md): only an authoritative answer is a
 * verdict, and the baseline covers who the rules bind and where required checks must come from.
 */
class GitHubProtectionAuthorityTest {
    private static final String ROOT = "dev/gatekeeper/drift/github-written/";
    private static final String REPO = "/repos/acme/app";
    private static final String PROTECTION = REPO + "/branches/main/protection";
    private static final String RULES = REPO + "/rules/branches/main";
    private static final String DOCS = "https://docs.github.com/rest/branches/branch-protection#get-branch-protection";

    @TempDir
    Path tmp;
    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        stubFile(REPO, "repository.json");
        stubFile(REPO + "/branches/main", "branch-main-protected.json");
        stub(RULES, answer(200, "[]"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private void stub(String url, ResponseDefinitionBuilder a) {
        server.stubFor(get(urlEqualTo(url)).willReturn(a));
    }

    /** A fixture body, its api.github.com links pointing at WireMock (as the recorded set's test does). */
    private void stubFile(String url, String file) {
        stub(url, answer(200, GitHubAnswers.file(ROOT + file).replace("https://api.github.com", server.baseUrl())));
    }

    /** drift scan --config drift.yaml with this github baseline, as an installation token would run it. */
    private DriftScan.Report scan(String baseline) throws Exception {
        return scan(baseline, Duration.ofSeconds(8));
    }

    private DriftScan.Report scan(String baseline, Duration timeout) throws Exception {
        Path config = tmp.resolve("drift.yaml");
        Files.writeString(config, "version: 1\ngithub:\n  apiUrl: " + server.baseUrl() + "\n  tokenEnv: GH_APP_TOKEN\n"
                + "  baseline: " + baseline + "\ntargets:\n  - github: acme/app\n    branch: main\n");
        DriftConfig c = DriftConfig.load(config);
        return new DriftScan().setTargets(c.targets()).setStateFile(tmp.resolve("state.json"))
                .setEnv(Map.of()).setGitHub(c.githubApiUrl(), "ghs_installation-token")
                .setTimeout(timeout).call();
    }

    private static TargetResult only(DriftScan.Report r) {
        assertEquals(1, r.results().size());
        return r.results().get(0);
    }

    private static List<String> subjects(DriftScan.Report r) {
        return only(r).findings().stream().map(Finding::subject).toList();
    }

    private static String details(DriftScan.Report r) {
        TargetResult t = only(r);
        return t.findings().stream().map(f -> f.subject() + ": " + f.detail()).toList() + " error=" + t.error();
    }

    private static final String STRICT = "{requiredChecks: [build], requiredReviews: 1, enforceAdmins: true, "
            + "allowForcePushes: false, allowDeletions: false}";

    // --- a read that failed is never "no protection" ---

    @Test
    void aProtectedBranchWhoseProtectionTheTokenCannotReadIsCannotTellWithAHintAboutRights() throws Exception {
        stub(PROTECTION, error(404, "Not Found", DOCS));
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.INCONCLUSIVE, r.exitCode(), details(r));
        String why = only(r).error();
        assertTrue(why.contains("protected"), why);
        assertTrue(why.contains("admin") && why.contains("Administration"), "says which rights: " + why);
        assertFalse(why.contains("no protection"), why);
    }

    @Test
    void aProtectionEndpointRefusedToTheAppIsCannotTellWithAHintAboutRights() throws Exception {
        stub(PROTECTION, error(403, "Resource not accessible by integration", DOCS));
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.INCONCLUSIVE, r.exitCode(), details(r));
        assertTrue(only(r).error().contains("Administration"), only(r).error());
    }

    @Test
    void anUnreadableProtectionDoesNotMatterWhenTheRulesetsAloneMeetTheBaseline() throws Exception {
        stub(PROTECTION, error(404, "Not Found", DOCS));
        stubFile(RULES, "rules-everything.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-binds-everyone.json");
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.OK, r.exitCode(), "classic protection can only add to what the rules give: "
                + details(r));
    }

    @Test
    void aBranchThatSaysItIsNotProtectedHasNoProtectionEvenForAReadOnlyToken() throws Exception {
        stubFile(REPO + "/branches/main", "branch-main-unprotected.json");
        stub(PROTECTION, error(404, "Not Found", DOCS));
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.REFUSED, r.exitCode(), details(r));
        assertTrue(only(r).findings().get(0).detail().contains("no protection"), details(r));
    }

    @Test
    void aDamagedProtectionAnswerIsCannotTellNotWeakened() throws Exception {
        for (String body : new String[] {"{}", "[]", "", "{\"url\":\"x\",\"enforce_admins\":\"yes\"",
            "{\"url\":\"x\",\"enforce_admins\":{\"enabled\":\"yes\"},\"allow_force_pushes\":{\"enabled\":false},"
                    + "\"allow_deletions\":{\"enabled\":false}}"}) {
            stub(PROTECTION, answer(200, body));
            DriftScan.Report r = scan(STRICT);
            assertEquals(ExitCode.INCONCLUSIVE, r.exitCode(), "'" + body + "': " + details(r));
        }
    }

    // --- who the rules bind ---

    @Test
    void aRuleThatForbidsDeletionDoesNotBindAdminsToTheOtherSettings() throws Exception {
        stubFile(PROTECTION, "protection-admins-not-enforced.json");
        stubFile(RULES, "rules-deletion-only.json");
        stubFile(REPO + "/rulesets/42", "ruleset-42-binds-everyone.json");
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.REFUSED, r.exitCode(), details(r));
        assertEquals(List.of("enforce_admins/required_status_checks/build",
                "enforce_admins/required_pull_request_reviews",
                "enforce_admins/allow_force_pushes"), subjects(r), details(r));
        assertTrue(only(r).findings().get(2).detail().contains("enforce_admins"), details(r));

        DriftScan.Report lax = scan("{requiredChecks: [build], requiredReviews: 1, enforceAdmins: false}");
        assertEquals(ExitCode.OK, lax.exitCode(), details(lax));
    }

    @Test
    void aRulesetsBypassActorsAreNotBoundByIt() throws Exception {
        stub(PROTECTION, error(404, "Branch not protected", DOCS));
        stubFile(RULES, "rules-everything.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-admins-and-an-app-bypass.json");
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.REFUSED, r.exitCode(), details(r));
        List<String> s = subjects(r);
        assertTrue(s.contains("enforce_admins/allow_force_pushes"), details(r));
        assertTrue(s.contains("bypass/allow_deletions/Integration:29110"), details(r));
        assertEquals(8, s.size(), "admins and the app, for each of the four settings: " + details(r));
        assertTrue(details(r).contains("OrganizationAdmin"), details(r));

        DriftScan.Report appAllowed = scan("{requiredChecks: [build], requiredReviews: 1, enforceAdmins: true, "
                + "allowBypass: [{actorType: Integration, actorId: 29110}]}");
        assertEquals(List.of("enforce_admins/required_status_checks/build",
                "enforce_admins/required_pull_request_reviews", "enforce_admins/allow_force_pushes",
                "enforce_admins/allow_deletions"), subjects(appAllowed), details(appAllowed));

        DriftScan.Report bothAllowed = scan("{requiredChecks: [build], requiredReviews: 1, enforceAdmins: false, "
                + "allowBypass: [{actorType: Integration, actorId: 29110}]}");
        assertEquals(ExitCode.OK, bothAllowed.exitCode(), details(bothAllowed));
    }

    @Test
    void classicProtectionsPullRequestBypassAllowancesSkipTheReviewsAndNothingElse() throws Exception {
        stubFile(PROTECTION, "protection-reviews-bypassed.json");
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.REFUSED, r.exitCode(), details(r));
        assertEquals(List.of("bypass/required_pull_request_reviews/User:9001",
                "bypass/required_pull_request_reviews/Team:5313",
                "bypass/required_pull_request_reviews/Integration:29110"), subjects(r), details(r));
        assertTrue(details(r).contains("bypass_pull_request_allowances"), details(r));

        DriftScan.Report allowed = scan("{requiredChecks: [build], requiredReviews: 1, enforceAdmins: true, "
                + "allowBypass: [{actorType: User, actorId: 9001}, {actorType: Team}, {actorType: Integration, "
                + "actorId: 29110}]}");
        assertEquals(ExitCode.OK, allowed.exitCode(), details(allowed));
    }

    @Test
    void aDamagedListOfBypassAllowancesIsCannotTellNotClean() throws Exception {
        String body = GitHubAnswers.file(ROOT + "protection-reviews-bypassed.json")
                .replace("\"users\": [", "\"users\": \"release-bot\", \"was\": [");
        stub(PROTECTION, answer(200, body));
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.INCONCLUSIVE, r.exitCode(), details(r));
    }

    @Test
    void aPullRequestBypassCannotForcePushOrDeleteButSkipsReviewsAndChecks() throws Exception {
        stub(PROTECTION, error(404, "Branch not protected", DOCS));
        stubFile(RULES, "rules-everything.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-a-team-bypasses-by-pull-request.json");
        DriftScan.Report r = scan(STRICT);
        assertEquals(List.of("bypass/required_status_checks/build/Team:5313",
                "bypass/required_pull_request_reviews/Team:5313"), subjects(r), details(r));
    }

    @Test
    void hiddenBypassActorsAreCannotTellWithAHint() throws Exception {
        stub(PROTECTION, error(404, "Branch not protected", DOCS));
        stubFile(RULES, "rules-everything.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-bypass-hidden.json");
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.INCONCLUSIVE, r.exitCode(), details(r));
        assertTrue(only(r).error().contains("bypass actors"), only(r).error());
        assertTrue(only(r).error().contains("#7"), only(r).error());
    }

    @Test
    void classicProtectionThatBindsAdminsCoversWhatARulesetLetsThemBypass() throws Exception {
        stubFile(PROTECTION, "protection-context2-app-123.json");
        stubFile(RULES, "rules-everything.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-admins-and-an-app-bypass.json");
        DriftScan.Report r = scan("{requiredChecks: [build], requiredReviews: 1, enforceAdmins: true, "
                + "allowForcePushes: false, allowDeletions: false, requireSignatures: true}");
        // admins and the app skip the ruleset, but classic protection (admins enforced) still binds them, except
        // for signatures, which only the ruleset requires
        assertEquals(List.of("enforce_admins/required_signatures", "bypass/required_signatures/Integration:29110"),
                subjects(r), details(r));
    }

    // --- where required checks must come from ---

    @Test
    void aRequiredCheckLoosenedToAnySourceIsAWeakening() throws Exception {
        stubFile(PROTECTION, "protection-context2-any-source.json");
        String baseline = "{requiredChecks: [build, {context: context2, appId: 123}], requiredReviews: 1}";
        DriftScan.Report r = scan(baseline);
        assertEquals(ExitCode.REFUSED, r.exitCode(), details(r));
        assertEquals(List.of("required_status_checks/context2"), subjects(r), details(r));
        assertTrue(only(r).findings().get(0).detail().contains("any source"), details(r));
        assertTrue(only(r).findings().get(0).detail().contains("app 123"), details(r));

        stubFile(PROTECTION, "protection-context2-app-123.json");
        assertEquals(ExitCode.OK, scan(baseline).exitCode());
    }

    @Test
    void aRequiredCheckFromTheRightAppInARulesetMeetsTheBaselineAndAnotherAppDoesNot() throws Exception {
        stub(PROTECTION, error(404, "Branch not protected", DOCS));
        stubFile(RULES, "rules-everything.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-binds-everyone.json");
        String baseline = "{requiredChecks: [{context: build, appId: 15368}, {context: context2, appId: 123}]}";
        assertEquals(ExitCode.OK, scan(baseline).exitCode());

        stubFile(RULES, "rules-context2-app-456.json");
        DriftScan.Report r = scan(baseline);
        assertEquals(List.of("required_status_checks/context2"), subjects(r), details(r));
        assertTrue(only(r).findings().get(0).detail().contains("app 456"), details(r));
    }

    @Test
    void rulesOnTheSecondPageCount() throws Exception {
        stub(PROTECTION, error(404, "Branch not protected", DOCS));
        stub(RULES, answer(200, GitHubAnswers.file(ROOT + "rules-page-1.json")).withHeader("Link",
                "<" + server.baseUrl() + REPO + "/rules/branches/main?page=2>; rel=\"next\", <" + server.baseUrl()
                        + REPO + "/rules/branches/main?page=2>; rel=\"last\""));
        stubFile(RULES + "?page=2", "rules-page-2.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-binds-everyone.json");
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.OK, r.exitCode(), details(r));
    }

    // --- rate limits and tokens ---

    @Test
    void aSecondaryRateLimitSaidOnlyInTheBodyIsWaitedOutWithinTheTimeout() throws Exception {
        stubFile(RULES, "rules-everything.json");
        stubFile(REPO + "/rulesets/7", "ruleset-7-binds-everyone.json");
        server.stubFor(get(urlEqualTo(PROTECTION)).inScenario("secondary").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(GitHubAnswers.secondaryRateLimitInTheBodyOnly()).willSetStateTo("calm"));
        server.stubFor(get(urlEqualTo(PROTECTION)).inScenario("secondary").whenScenarioStateIs("calm")
                .willReturn(error(404, "Branch not protected", DOCS)));
        DriftScan.Report r = scan(STRICT);
        assertEquals(ExitCode.OK, r.exitCode(), details(r));
        server.verify(2, getRequestedFor(urlEqualTo(PROTECTION)));
    }

    @Test
    void aSecondaryRateLimitThatLastsIsNamedAsARateLimit() throws Exception {
        stub(PROTECTION, GitHubAnswers.secondaryRateLimitInTheBodyOnly());
        long start = System.nanoTime();
        DriftScan.Report r = scan(STRICT, Duration.ofSeconds(3));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 5000, "gave up within the timeout: " + ms + " ms");
        assertEquals(ExitCode.INCONCLUSIVE, r.exitCode(), details(r));
        assertTrue(only(r).error().contains("secondary rate limit"), only(r).error());
        assertTrue(server.countRequestsMatching(getRequestedFor(urlEqualTo(PROTECTION)).build()).getCount() >= 2,
                "retried with backoff");
    }

    @Test
    void anInstallationTokenThatUserRefusesScansAndUserIsNeverAsked() throws Exception {
        stubFile(PROTECTION, "protection-context2-app-123.json");
        server.stubFor(get(urlPathEqualTo("/user")).willReturn(error(401, "Bad credentials",
                "https://docs.github.com/rest")));
        assertEquals(ExitCode.OK, scan(STRICT).exitCode());
        server.stubFor(get(urlPathEqualTo("/user")).willReturn(GitHubAnswers.userRefusedToAnInstallationToken()));
        assertEquals(ExitCode.OK, scan(STRICT).exitCode());
        server.verify(0, getRequestedFor(urlPathEqualTo("/user")));
    }
}
