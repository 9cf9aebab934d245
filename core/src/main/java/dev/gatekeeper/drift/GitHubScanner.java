package dev.gatekeeper.drift;

import dev.gatekeeper.github.GitHubApi;
import dev.gatekeeper.verify.RemoteReadException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GitHub branch's protection against the baseline: weaker is drift, stricter is fine, and what cannot be read is
 * "cannot scan" (exit 4), never "no protection". Reading ({@link GitHubProtectionReader}) is apart from judging
 * ({@link ProtectionJudge}): classic branch protection and the rulesets' rules for the branch together, as GitHub
 * enforces them, with who each binds.
 *
 * <p>Rate limits are waited out when they end within the timeout (a secondary limit GitHub gives no time for with
 * backoff from 1 s), otherwise the target is unscannable at once instead of sleeping up to an hour in a cron job.
 */
final class GitHubScanner {
    private GitHubScanner() {}

    static TargetResult scan(Target t, String apiUrl, String token, Duration timeout) {
        GitHubApi api = new GitHubApi(apiUrl, token, timeout).waitForRateLimitsUntil(Instant.now().plus(timeout));
        try {
            Optional<GitHubProtection> read = new GitHubProtectionReader(api, t.location(), t.branch())
                    .read(t.baseline().requireSignatures());
            if (read.isEmpty()) {
                return TargetResult.of(t, List.of(new Finding(Finding.Kind.PROTECTION, t.branch(), "branch " + t.branch()
                        + " does not exist, so nothing protects it", null)), null);
            }
            GitHubProtection p = read.get();
            if (p.sources().isEmpty() && p.classicUnreadable() == null) {
                return TargetResult.of(t, List.of(new Finding(Finding.Kind.PROTECTION, t.branch(), "branch " + t.branch()
                        + " has no protection and no ruleset applies", null)), null);
            }
            ProtectionJudge.Judgement j = ProtectionJudge.judge(t.baseline(), p);
            return TargetResult.partly(t, j.findings(), cannotTell(j.cannotTell()));
        } catch (RemoteReadException e) {
            return TargetResult.error(t, e.getMessage());
        } catch (RuntimeException e) {
            return TargetResult.error(t, "cannot read the protection of " + t.branch() + ": " + e);
        }
    }

    /** "cannot tell about X, Y: why" per reason, or null when everything was told. */
    static String cannotTell(Map<String, List<String>> unknown) {
        if (unknown.isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        unknown.forEach((why, what) -> lines.add("cannot tell about " + String.join(", ", what) + ": " + why));
        return String.join("; ", lines);
    }
}
