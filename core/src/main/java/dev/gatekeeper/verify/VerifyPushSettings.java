package dev.gatekeeper.verify;

import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.settings.SettingKey;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.settings.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@code verify-push} runs with, filled the same way by every packaging, each setting by its {@link Key}.
 * The tokens and the alert webhook are values; reading them from variables, files or credentials is the
 * packaging's job.
 *
 * @param expect      a commit or revision; null: the working clone's HEAD
 * @param remote      a remote name or URL; null: the branch's upstream remote, else origin
 * @param branch      a branch or full ref; null: the upstream branch, else the same name
 * @param githubToken the token GitHub's API is read with, or null
 * @param gitToken    the token a smart-HTTP remote is read with, or null
 * @param auditLog    null: {@code $GATEKEEPER_AUDIT_LOG}, else the clone's
 * @param alertWebhook where an alert goes when the push is not verified, or null
 * @param command     wrap mode: the agent's command and its arguments; empty: plain mode
 */
public record VerifyPushSettings(Path directory, String expect, boolean contains, String since, String remote,
        String branch, String github, String githubApiUrl, String githubToken, String gitToken, RemoteLocator.Via via,
        Duration timeout, Path auditLog, String alertWebhook, boolean alertInconclusive, List<String> command) {

    public VerifyPushSettings {
        command = List.copyOf(command);
    }

    /** The settings with the tokens and the webhook hidden (they are secrets). */
    @Override
    public String toString() {
        return "VerifyPushSettings[directory=" + directory + ", expect=" + expect + ", contains=" + contains
                + ", since=" + since + ", remote=" + remote + ", branch=" + branch + ", github=" + github
                + ", githubApiUrl=" + githubApiUrl + ", githubToken=" + hidden(githubToken) + ", gitToken="
                + hidden(gitToken) + ", via=" + via + ", timeout=" + timeout + ", auditLog=" + auditLog
                + ", alertWebhook=" + hidden(alertWebhook) + ", alertInconclusive=" + alertInconclusive
                + ", command=" + command + "]";
    }

    static String hidden(String secret) {
        return secret == null ? "null" : "****";
    }

    /** The settings, by their canonical names (Jenkins parameters). */
    public enum Key implements SettingKey {
        DIR, EXPECT, CONTAINS, SINCE, REMOTE, BRANCH, GITHUB, GITHUB_API_URL, GITHUB_TOKEN, GIT_TOKEN, VIA, TIMEOUT,
        AUDIT_LOG, ALERT_WEBHOOK, ALERT_INCONCLUSIVE, COMMAND;

        @Override
        public String key() {
            return SettingKey.camel(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code text} checked as {@code key} takes it, for a packaging that validates when it is configured.
     *
     * @return {@code text} trimmed, or null for a blank one
     * @throws IllegalArgumentException naming the setting
     */
    public static String check(Key key, String text) {
        return Problem.check(text, t -> new Builder().set(key, t).problems);
    }

    /** Collects settings; every problem is kept and {@link #build} throws them all. */
    public static final class Builder {
        private final List<Problem> problems = new ArrayList<>();
        private Path directory = Path.of(".");
        private String expect;
        private boolean contains;
        private String since;
        private String remote;
        private String branch;
        private String github;
        private String githubApiUrl;
        private String githubToken;
        private String gitToken;
        private RemoteLocator.Via via = RemoteLocator.Via.AUTO;
        private Duration timeout = VerifyPush.DEFAULT_TIMEOUT;
        private Path auditLog;
        private String alertWebhook;
        private boolean alertInconclusive;
        private List<String> command = List.of();

        private Builder() {}

        /** Sets {@code key} from text; a bad value is a problem naming the key. */
        public Builder set(Key key, String text) {
            String v = text.trim();
            try {
                switch (key) {
                    case EXPECT -> expect = Values.text(v, "a commit or revision");
                    case CONTAINS -> contains = Values.flag(v);
                    case SINCE -> since = Values.text(v, "a commit");
                    case REMOTE -> remote = Values.text(v, "a remote name or URL");
                    case BRANCH -> branch = Values.text(v, "a branch or full ref");
                    case GITHUB -> {
                        if (!v.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                            throw new IllegalArgumentException("OWNER/REPO");
                        }
                        github = v;
                    }
                    case GITHUB_API_URL -> {
                        if (!v.startsWith("https://") && !v.startsWith("http://")) {
                            throw new IllegalArgumentException("an http(s) URL such as https://ghe.example.com/api/v3");
                        }
                        githubApiUrl = v;
                    }
                    case VIA -> {
                        try {
                            via = RemoteLocator.Via.valueOf(v.toUpperCase(Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("auto, git or github");
                        }
                    }
                    case TIMEOUT -> timeout = Values.positiveDuration(v);
                    case ALERT_INCONCLUSIVE -> alertInconclusive = Values.flag(v);
                    default -> throw new IllegalStateException(key.key() + " is not set from text (its own setter)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(Problem.of(key.key(), "invalid value '" + text + "'", e.getMessage()));
            }
            return this;
        }

        public Builder directory(Path v) {
            directory = v;
            return this;
        }

        public Builder auditLog(Path v) {
            auditLog = v;
            return this;
        }

        /** The token GitHub's API is read with (a value). */
        public Builder githubToken(String v) {
            githubToken = blankIsNull(v);
            return this;
        }

        /** The token a smart-HTTP remote is read with (a value). */
        public Builder gitToken(String v) {
            gitToken = blankIsNull(v);
            return this;
        }

        /** Where an alert goes (a value: the URL is a credential). */
        public Builder alertWebhook(String url) {
            alertWebhook = blankIsNull(url);
            return this;
        }

        /** Wrap mode: the agent's command and its arguments. */
        public Builder command(List<String> v) {
            command = List.copyOf(v);
            return this;
        }

        /** A problem with {@code key} found by the packaging (e.g. a token file it could not read). */
        public Builder problem(Key key, String message) {
            problems.add(Problem.of(key.key(), message, null));
            return this;
        }

        /** @throws SettingsException with every problem found */
        public VerifyPushSettings build() throws SettingsException {
            List<Problem> all = new ArrayList<>(problems);
            if (!command.isEmpty() && since != null) {
                all.add(Problem.of(Key.SINCE.key(), "does not go with a wrapped command: wrap mode reads the "
                        + "baseline itself", null));
            }
            if (alertWebhook != null && !alertWebhook.startsWith("https://") && !alertWebhook.startsWith("http://")) {
                all.add(Problem.of(Key.ALERT_WEBHOOK.key(), "not an http(s) URL", null));
            }
            if (!all.isEmpty()) {
                throw new SettingsException(all);
            }
            return new VerifyPushSettings(directory, expect, contains, since, remote, branch, github, githubApiUrl,
                    githubToken, gitToken, via, timeout, auditLog, alertWebhook, alertInconclusive, command);
        }

        private static String blankIsNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }
}
