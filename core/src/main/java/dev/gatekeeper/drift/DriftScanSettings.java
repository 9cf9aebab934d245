package dev.gatekeeper.drift;

import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.settings.SettingKey;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.settings.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code drift scan} runs with, filled the same way by every packaging: the targets of a drift.yaml
 * ({@link Builder#config}) and those given as text ({@code DIR[@BRANCH]}, {@code OWNER/REPO[@BRANCH]}), then the
 * options by {@link Key}. The GitHub token and the alert webhook are values; reading them is the packaging's job.
 *
 * @param githubApiUrl null: https://api.github.com
 * @param githubToken  null: GitHub targets are read without a token
 * @param stateFile    null: {@code $XDG_STATE_HOME/gatekeeper/drift-state.json} of the environment the scan runs in
 * @param alertWebhook null: no alerts
 */
public record DriftScanSettings(List<Target> targets, String githubApiUrl, String githubToken, int shard, int shards,
        int parallel, boolean heal, boolean incremental, Path stateFile, String alertWebhook) {

    public static final int DEFAULT_PARALLEL = 8;

    public DriftScanSettings {
        targets = List.copyOf(targets);
    }

    /** The settings with the token and the webhook hidden (they are secrets). */
    @Override
    public String toString() {
        return "DriftScanSettings[targets=" + targets + ", githubApiUrl=" + githubApiUrl + ", githubToken="
                + (githubToken == null ? "null" : "****") + ", shard=" + shard + "/" + shards + ", parallel="
                + parallel + ", heal=" + heal + ", incremental=" + incremental + ", stateFile=" + stateFile
                + ", alertWebhook=" + (alertWebhook == null ? "null" : "****") + "]";
    }

    /** The settings, by their canonical names (Jenkins parameters). */
    public enum Key implements SettingKey {
        CHECKOUTS, BARES, GITHUB_REPOS, GITHUB_API_URL, GITHUB_TOKEN, SHARD, PARALLEL, HEAL, INCREMENTAL,
        STATE_FILE, ALERT_WEBHOOK;

        @Override
        public String key() {
            return SettingKey.camel(this);
        }
    }

    public static Builder builder(Path base) {
        return new Builder(base);
    }

    /**
     * {@code text} checked as {@code key} takes it, for a packaging that validates when it is configured.
     *
     * @return {@code text} trimmed, or null for a blank one
     * @throws IllegalArgumentException naming the setting
     */
    public static String check(Key key, String text) {
        return Problem.check(text, t -> {
            Builder b = new Builder(Path.of("."));
            switch (key) {
                case CHECKOUTS, BARES, GITHUB_REPOS -> b.targets(key, List.of(t));
                default -> b.set(key, t);
            }
            return b.problems;
        });
    }

    /** Collects settings; every problem is kept and {@link #build} throws them all. */
    public static final class Builder {
        private final Path base;
        private final List<Problem> problems = new ArrayList<>();
        private final List<Target> targets = new ArrayList<>();
        private String githubApiUrl;
        private String githubToken;
        private int shard = 1;
        private int shards = 1;
        private int parallel = DEFAULT_PARALLEL;
        private boolean heal;
        private boolean incremental = true;
        private Path stateFile;
        private String alertWebhook;

        /** @param base what relative paths given as text resolve against (the working folder, the workspace) */
        private Builder(Path base) {
            this.base = base.toAbsolutePath().normalize();
        }

        /**
         * The targets, API URL and token of a drift.yaml (read strictly: every problem with its line and column);
         * the token from the variable the file names ({@code github.tokenEnv}, default {@code GITHUB_TOKEN}) in
         * {@code env}. A URL or token given as an option as well wins, whichever comes first.
         */
        public Builder config(Path file, Map<String, String> env) throws SettingsException {
            DriftConfig c = DriftConfig.load(base.resolve(file));
            targets.addAll(c.targets());
            if (githubApiUrl == null) {
                githubApiUrl = c.githubApiUrl();
            }
            if (githubToken == null && c.githubTokenEnv() != null) {
                githubToken = blankIsNull(env.get(c.githubTokenEnv()));
            }
            return this;
        }

        /**
         * Targets as text: checkouts {@code DIR[@BRANCH]}, bares {@code DIR}, GitHub repositories
         * {@code OWNER/REPO[@BRANCH]}; relative folders resolve against the base.
         */
        public Builder targets(Key kind, List<String> specs) {
            for (String spec : specs) {
                try {
                    targets.add(switch (kind) {
                        case CHECKOUTS -> TargetSpecs.checkout(spec, base);
                        case BARES -> TargetSpecs.bare(spec, base);
                        case GITHUB_REPOS -> TargetSpecs.github(spec);
                        default -> throw new IllegalStateException(kind.key() + " holds no targets");
                    });
                } catch (IllegalArgumentException e) {
                    problems.add(Problem.of(kind.key(), e.getMessage(), null));
                }
            }
            return this;
        }

        /** A target a packaging built itself (the Jenkins step's structured checkouts and repositories). */
        public Builder target(Target t) {
            targets.add(t);
            return this;
        }

        /** Sets {@code key} from text; a bad value is a problem naming the key. */
        public Builder set(Key key, String text) {
            String v = text.trim();
            try {
                switch (key) {
                    case GITHUB_API_URL -> {
                        if (!v.startsWith("https://") && !v.startsWith("http://")) {
                            throw new IllegalArgumentException("an http(s) URL such as https://ghe.example.com/api/v3");
                        }
                        githubApiUrl = v;
                    }
                    case SHARD -> {
                        int[] in = TargetSpecs.shard(v);
                        shard = in[0];
                        shards = in[1];
                    }
                    case PARALLEL -> parallel = Values.count(v, 1, 256);
                    case HEAL -> heal = Values.flag(v);
                    case INCREMENTAL -> incremental = Values.flag(v);
                    case STATE_FILE -> stateFile = base.resolve(Values.text(v, "a file"));
                    default -> throw new IllegalStateException(key.key() + " is not set from text (its own setter)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(Problem.of(key.key(), "invalid value '" + text + "'", e.getMessage()));
            }
            return this;
        }

        /** The token GitHub targets are read with (a value, from where the packaging keeps it). */
        public Builder githubToken(String v) {
            githubToken = blankIsNull(v);
            return this;
        }

        /** The webhook alerts go to (a value: the URL is a credential). */
        public Builder alertWebhook(String url) {
            alertWebhook = blankIsNull(url);
            return this;
        }

        /** A problem with {@code key} found by the packaging (e.g. a variable it could not read). */
        public Builder problem(Key key, String message) {
            problems.add(Problem.of(key.key(), message, null));
            return this;
        }

        /** @throws SettingsException with every problem found */
        public DriftScanSettings build() throws SettingsException {
            List<Problem> all = new ArrayList<>(problems);
            if (targets.isEmpty() && all.isEmpty()) {
                all.add(Problem.of(null, "no targets to scan", "a config file, checkouts, bares or GitHub "
                        + "repositories"));
            }
            if (alertWebhook != null && !alertWebhook.startsWith("https://") && !alertWebhook.startsWith("http://")) {
                all.add(Problem.of(Key.ALERT_WEBHOOK.key(), "not an http(s) URL", null));
            }
            if (!all.isEmpty()) {
                throw new SettingsException(all);
            }
            return new DriftScanSettings(targets, githubApiUrl, githubToken, shard, shards, parallel, heal,
                    incremental, stateFile, alertWebhook);
        }

        private static String blankIsNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }
}
