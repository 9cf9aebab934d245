package dev.gatekeeper.jenkins;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.stabilize.SamplingPlan;
import dev.gatekeeper.stabilize.Stabilize;
import dev.gatekeeper.stabilize.StabilizeConfig;
import dev.gatekeeper.stabilize.StabilizeOptions;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs core's {@link Stabilize} in the workspace, on the agent that has it. */
final class StabilizeCallable extends CoreCallable {
    private static final long serialVersionUID = 1L;

    /** The step's settings, as given (paths relative to the workspace). */
    record Settings(ArrayList<Probe> probes, String config, String branch, String remote, String commit,
            String waitFor, Integer samples, String interval, Integer failureLimit, Integer consecutiveErrorLimit,
            Boolean holdOnErrors, String probeTimeout, String expectStatus, String deploy, String confirmWait, String repoName,
            Integer maxRevertsPerDay, String auditLog, boolean dryRun) implements Serializable {}

    /** Secret values from credentials; null when not configured. Never logged (GatekeeperLog masks them too). */
    record Secrets(String tokenSecret, String slack, String discord, String webhook) implements Serializable {
        @Override
        public String toString() {
            return "Secrets[hidden]";
        }
    }

    private final Settings s;
    private final Secrets secrets;

    StabilizeCallable(Settings s, Map<String, String> env, GatekeeperLog log, Secrets secrets) {
        super(env, log);
        this.s = s;
        this.secrets = secrets;
    }

    @Override
    LinkedHashMap<String, Object> run(Path ws, Map<String, String> e)
            throws GatekeeperException, IOException, InterruptedException {
        Path secretFile = null;
        try {
            // webhook URLs reach core as NotifyTarget variables, under names only this step uses
            List<NotifyTarget> targets = new ArrayList<>();
            notify(targets, e, "slack", secrets.slack());
            notify(targets, e, "discord", secrets.discord());
            notify(targets, e, "webhook", secrets.webhook());
            Stabilize st = new Stabilize().setEnv(e).setDirectory(ws).setProgress(log::println);
            SamplingPlan[] plan = {SamplingPlan.DEFAULT};
            if (s.config() != null) {
                StabilizeConfig.load(ws.resolve(s.config())).applyTo(st, plan);
            }
            List<String> urls = s.probes().stream().map(Probe::getUrl).toList();
            new StabilizeOptions().setProbes(urls).setProbeTimeout(s.probeTimeout())
                    .setExpectStatus(s.expectStatus()).setSamples(s.samples()).setInterval(s.interval())
                    .setFailureLimit(s.failureLimit()).setConsecutiveErrorLimit(s.consecutiveErrorLimit())
                    .setWait(s.waitFor()).setConfirmWait(s.confirmWait()).applyTo(st, plan[0]);
            if (!urls.isEmpty()) {
                // core built one spec per url with the step's shared settings; each probe's own settings win
                for (int i = 0; i < urls.size(); i++) {
                    s.probes().get(i).applyTo(st.probes().get(i));
                }
            }
            set(st);
            if (!targets.isEmpty()) {
                st.setNotify(targets); // replaces the config file's list, as the CLI's --notify does
            }
            if (secrets.tokenSecret() != null) {
                // a file, not a variable: the environment is handed to git and probes, the file only to core
                secretFile = secretFile(secrets.tokenSecret());
                st.setTokenSecretFile(secretFile);
            }
            if (s.auditLog() != null) {
                st.setAuditLog(ws.resolve(s.auditLog()));
            }
            Stabilize.Result r = st.call();
            r.warnings().forEach(w -> log.println("warning: " + w));
            log.println("stabilize: " + r.summary());
            return result(r);
        } finally {
            if (secretFile != null) {
                Files.deleteIfExists(secretFile);
            }
        }
    }

    private void set(Stabilize st) {
        if (s.remote() != null) {
            st.setRemote(s.remote());
        }
        if (s.branch() != null) {
            st.setBranch(s.branch());
        }
        if (s.commit() != null) {
            st.setCommit(s.commit());
        }
        if (s.deploy() != null) {
            st.setDeploy(s.deploy());
        }
        if (s.repoName() != null) {
            st.setRepoName(s.repoName());
        }
        if (s.maxRevertsPerDay() != null) {
            st.setDailyCap(s.maxRevertsPerDay());
        }
        if (s.holdOnErrors() != null) {
            st.setHoldOnErrors(s.holdOnErrors());
        }
        st.setDryRun(s.dryRun());
    }

    private static void notify(List<NotifyTarget> targets, Map<String, String> e, String kind, String url) {
        if (url != null) {
            String var = "GATEKEEPER_STEP_" + kind.toUpperCase(java.util.Locale.ROOT) + "_URL";
            e.put(var, url);
            targets.add(NotifyTarget.parse(kind + ":" + var));
        }
    }

    private static Path secretFile(String secret) throws IOException {
        Path f = Files.createTempFile("gatekeeper-pipeline", ".secret",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, secret, StandardCharsets.UTF_8);
        return f;
    }

    private static LinkedHashMap<String, Object> result(Stabilize.Result r) {
        LinkedHashMap<String, Object> m = StepResult.of(r.verdict(), r.exitCode().code(), r.summary());
        Map<String, String> report = r.report();
        StepResult.put(m, "summary", r.summary());
        StepResult.put(m, "commit", report.get("commit"));
        StepResult.put(m, "ref", report.get("ref"));
        StepResult.put(m, "revertSha", report.get("revert"));
        StepResult.put(m, "branchTip", report.get("branch_tip"));
        return m;
    }
}
