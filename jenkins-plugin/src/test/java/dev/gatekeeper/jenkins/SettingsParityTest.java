package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.drift.DriftScanSettings;
import dev.gatekeeper.jenkins.stubs.StubTaskListener;
import dev.gatekeeper.settings.SettingKey;
import dev.gatekeeper.settings.SettingsCatalog;
import dev.gatekeeper.settings.SettingsCatalog.Command;
import dev.gatekeeper.stabilize.StabilizeSettings;
import dev.gatekeeper.verify.VerifyPushSettings;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parity, the Jenkins steps' part: every setting of every command's settings record is a parameter of its step
 * (by the same name, or for a secret the credentials id that holds it), or is left out for a reason written here;
 * and setting the parameter changes the settings core gets on the agent (a parameter that reaches nothing fails).
 */
class SettingsParityTest {
    @TempDir
    Path ws;

    /** Secret settings, taken as credentials ids. */
    static final Map<SettingKey, List<String>> CREDENTIALS = Map.of(
            StabilizeSettings.Key.TOKEN_SECRET, List.of("tokenSecretCredentialsId"),
            StabilizeSettings.Key.NOTIFY, List.of("slackCredentialsId", "discordCredentialsId", "webhookCredentialsId"),
            DriftScanSettings.Key.GITHUB_TOKEN, List.of("githubCredentialsId"),
            DriftScanSettings.Key.ALERT_WEBHOOK, List.of("alertWebhookCredentialsId"),
            VerifyPushSettings.Key.GITHUB_TOKEN, List.of("githubCredentialsId"),
            VerifyPushSettings.Key.ALERT_WEBHOOK, List.of("alertWebhookCredentialsId"));

    /** Settings a step does not take, and why (jenkins-plugin/README.md says so too). */
    static final Map<SettingKey, String> LEFT_OUT = Map.of(
            StabilizeSettings.Key.DIR, "a step runs in its workspace; a Pipeline changes folder with dir('sub') { }",
            VerifyPushSettings.Key.DIR, "a step runs in its workspace; a Pipeline changes folder with dir('sub') { }",
            VerifyPushSettings.Key.GIT_TOKEN, "a smart-HTTP token is the build's $GATEKEEPER_GIT_TOKEN (bound by "
                    + "withCredentials), as git in a sh step finds its credentials in the build's environment",
            VerifyPushSettings.Key.COMMAND, "wrap mode is the CLI's: a Pipeline runs its agent in a step of its own, "
                    + "then verifies what it claims");

    static Class<? extends Step> step(Command c) {
        return switch (c) {
            case STABILIZE -> StabilizeStep.class;
            case DRIFT_SCAN -> DriftScanStep.class;
            case VERIFY_PUSH -> VerifyPushStep.class;
        };
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void everySettingIsAParameterOfTheStepOrLeftOutForAReason(Command c) {
        List<String> parameters = StepClasses.parameters(step(c));
        List<String> missing = new ArrayList<>();
        for (SettingKey k : c.keys()) {
            if (LEFT_OUT.containsKey(k)) {
                assertTrue(!parameters.contains(k.key()), k.key() + " is left out yet a parameter");
                continue;
            }
            for (String name : CREDENTIALS.getOrDefault(k, List.of(k.key()))) {
                if (!parameters.contains(name)) {
                    missing.add(name + " (" + k.key() + ")");
                }
            }
        }
        assertEquals(List.of(), missing, step(c).getSimpleName() + " lacks settings");
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void everyParameterReachesTheSettingsCoreGets(Command c) throws Exception {
        String base = settings(c, null);
        List<String> unreached = new ArrayList<>();
        for (SettingKey k : c.keys()) {
            if (!LEFT_OUT.containsKey(k) && base.equals(settings(c, k))) {
                unreached.add(k.key());
            }
        }
        assertEquals(List.of(), unreached, step(c).getSimpleName() + ": parameters that reach nothing");
    }

    @Test
    void theLeftOutSmartHttpTokenIsTheBuildsVariable() throws Exception {
        Map<String, String> env = new HashMap<>(SettingsCatalog.ENV);
        String without = callable(Command.VERIFY_PUSH, new VerifyPushStep(null), null).settings(ws, env).toString();
        env.put("GATEKEEPER_GIT_TOKEN", "sample-git-token");
        String with = callable(Command.VERIFY_PUSH, new VerifyPushStep(null), null).settings(ws, env).toString();
        assertTrue(!without.equals(with) && with.contains("gitToken=****"), with);
    }

    /** The settings core gets from the step with {@code key} given its sample (none: the baseline), as text. */
    private String settings(Command c, SettingKey key) throws Exception {
        Step step = baseline(c);
        String secret = null;
        if (key != null && CREDENTIALS.containsKey(key)) {
            secret = SettingsCatalog.sample(key);
        } else if (key != null) {
            step = give(c, step, key, SettingsCatalog.sample(key));
        }
        Map<String, String> env = new HashMap<>(SettingsCatalog.ENV);
        return callable(c, step, key == null || secret == null ? null : key).settings(ws, env).toString();
    }

    private static Step baseline(Command c) {
        return switch (c) {
            case STABILIZE -> new StabilizeStep(List.of(new Probe(SettingsCatalog.BASE_PROBE)));
            case DRIFT_SCAN -> {
                DriftScanStep d = new DriftScanStep();
                d.setCheckouts(List.of(new Checkout(SettingsCatalog.BASE_CHECKOUT)));
                yield d;
            }
            case VERIFY_PUSH -> new VerifyPushStep(null);
        };
    }

    /** The step with {@code key}'s parameter set to {@code sample}, through its constructor or its setter. */
    private static Step give(Command c, Step step, SettingKey key, String sample) throws Exception {
        if (key == StabilizeSettings.Key.PROBES) {
            return new StabilizeStep(List.of(new Probe(sample)));
        }
        if (key == VerifyPushSettings.Key.BRANCH) {
            return new VerifyPushStep(sample);
        }
        String setter = "set" + Character.toUpperCase(key.key().charAt(0)) + key.key().substring(1);
        for (Method m : step.getClass().getMethods()) {
            if (m.getName().equals(setter) && m.getParameterCount() == 1) {
                m.invoke(step, value(m.getGenericParameterTypes()[0], sample));
                return step;
            }
        }
        throw new AssertionError(step.getClass().getSimpleName() + " has no " + setter);
    }

    /** {@code sample} as the setter's parameter type takes it, as Pipeline would bind it. */
    private static Object value(Type type, String sample) {
        if (type == String.class) {
            return sample;
        }
        if (type == Integer.class || type == int.class) {
            return Integer.valueOf(sample);
        }
        if (type == Boolean.class || type == boolean.class) {
            return Boolean.valueOf(sample);
        }
        Type entry = ((ParameterizedType) type).getActualTypeArguments()[0];
        String[] at = sample.split("@");
        Object one;
        if (entry == ProbeHeader.class) {
            String[] nv = sample.split("=");
            one = new ProbeHeader(nv[0], nv[1]);
        } else if (entry == Checkout.class) {
            Checkout co = new Checkout(at[0]);
            co.setBranch(at.length > 1 ? at[1] : null);
            one = co;
        } else if (entry == BareRepository.class) {
            one = new BareRepository(sample);
        } else if (entry == GitHubRepository.class) {
            GitHubRepository g = new GitHubRepository(at[0]);
            g.setBranch(at.length > 1 ? at[1] : null);
            one = g;
        } else {
            throw new AssertionError("no sample form for a list of " + entry);
        }
        return List.of(one);
    }

    /** The step's callable, with the credentials-held secret of {@code secretKey} given (else none). */
    private static CoreCallable<?> callable(Command c, Step step, SettingKey secretKey) {
        GatekeeperLog log = new GatekeeperLog(new StubTaskListener(), List.of());
        String value = secretKey == null ? null : SettingsCatalog.ENV.get(secretKey == StabilizeSettings.Key.NOTIFY
                ? SettingsCatalog.sample(secretKey).substring("slack:".length()) : SettingsCatalog.sample(secretKey));
        return switch (c) {
            case STABILIZE -> new StabilizeCallable(((StabilizeStep) step).values(), Map.of(), log,
                    new StabilizeCallable.Secrets(secretKey == StabilizeSettings.Key.TOKEN_SECRET ? value : null,
                            "sample-credentials", secretKey == StabilizeSettings.Key.NOTIFY
                            ? new String[] {"slack", value, "sample-credentials"} : null, null, null));
            case DRIFT_SCAN -> new DriftScanCallable(((DriftScanStep) step).values(), Map.of(), log,
                    secretKey == DriftScanSettings.Key.GITHUB_TOKEN ? value : null,
                    secretKey == DriftScanSettings.Key.ALERT_WEBHOOK ? value : null);
            case VERIFY_PUSH -> new VerifyPushCallable(((VerifyPushStep) step).values(), Map.of(), log,
                    secretKey == VerifyPushSettings.Key.GITHUB_TOKEN ? value : null,
                    secretKey == VerifyPushSettings.Key.ALERT_WEBHOOK ? value : null);
        };
    }
}
