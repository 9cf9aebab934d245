package dev.gatekeeper.stabilize;

import dev.gatekeeper.policy.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The stabilize settings that need more than a setter when a packaging takes them as text: probe specs with their
 * shared HTTP extras, the sampling plan (each number overrides only its own part of the config file's plan) and
 * the durations. In core so the CLI options and the Jenkins step's parameters combine the same way; plain
 * settings (remote, branch, deploy, …) stay one setter call in each packaging.
 */
public final class StabilizeOptions {
    private List<String> probes = List.of();
    private String probeTimeout;
    private String expectStatus;
    private String bodyRegex;
    private String jsonField;
    private List<String> headers = List.of();
    private Integer samples;
    private String interval;
    private Integer failureLimit;
    private Integer consecutiveErrorLimit;
    private String waitFor;
    private String confirmWait;
    private String deployTimeout;
    private UnaryOperator<String> names = UnaryOperator.identity();

    public StabilizeOptions setProbes(List<String> v) { this.probes = v == null ? List.of() : List.copyOf(v); return this; }
    public StabilizeOptions setProbeTimeout(String v) { this.probeTimeout = v; return this; }
    public StabilizeOptions setExpectStatus(String v) { this.expectStatus = v; return this; }
    public StabilizeOptions setBodyRegex(String v) { this.bodyRegex = v; return this; }
    public StabilizeOptions setJsonField(String v) { this.jsonField = v; return this; }
    /** {@code NAME=ENVVAR}: an HTTP header whose value is read from {@code $ENVVAR}. */
    public StabilizeOptions setHeaders(List<String> v) { this.headers = v == null ? List.of() : List.copyOf(v); return this; }
    public StabilizeOptions setSamples(Integer v) { this.samples = v; return this; }
    public StabilizeOptions setInterval(String v) { this.interval = v; return this; }
    public StabilizeOptions setFailureLimit(Integer v) { this.failureLimit = v; return this; }
    public StabilizeOptions setConsecutiveErrorLimit(Integer v) { this.consecutiveErrorLimit = v; return this; }
    public StabilizeOptions setWait(String v) { this.waitFor = v; return this; }
    public StabilizeOptions setConfirmWait(String v) { this.confirmWait = v; return this; }
    public StabilizeOptions setDeployTimeout(String v) { this.deployTimeout = v; return this; }
    /**
     * How a setting is named in messages: camelCase keys by default ({@code wait}, {@code probeTimeout}, as in the
     * YAML file and the Jenkins step); the CLI maps them to its options.
     */
    public StabilizeOptions setNames(UnaryOperator<String> v) { this.names = v; return this; }

    /**
     * Sets what was given on {@code s}, over what the config file set: probes replace the file's probes when any
     * are given; the plan starts from {@code plan} (the file's, or {@link SamplingPlan#DEFAULT}).
     *
     * @throws IllegalArgumentException naming the setting, for the packaging's usage error
     */
    public void applyTo(Stabilize s, SamplingPlan plan) {
        if (waitFor != null) {
            s.setWait(duration("wait", waitFor));
        }
        if (confirmWait != null) {
            s.setConfirmWait(duration("confirmWait", confirmWait));
        }
        if (deployTimeout != null) {
            s.setDeployTimeout(duration("deployTimeout", deployTimeout));
        }
        if (!probes.isEmpty()) {
            List<ProbeSpec> specs = new ArrayList<>();
            for (String p : probes) {
                ProbeSpec ps = ProbeSpec.parse(p);
                if (probeTimeout != null) {
                    ps.timeout(duration("probeTimeout", probeTimeout));
                }
                if (ps.type().equals("http")) {
                    httpExtras(ps);
                }
                specs.add(ps);
            }
            s.setProbes(specs);
        }
        s.setPlan(plan(plan));
    }

    /** {@code base} with each number that was given replacing its own part. */
    public SamplingPlan plan(SamplingPlan base) {
        return new SamplingPlan(samples != null ? samples : base.samples(),
                interval != null ? duration("interval", interval) : base.interval(),
                failureLimit != null ? failureLimit : base.failureLimit(),
                consecutiveErrorLimit != null ? consecutiveErrorLimit : base.consecutiveErrorLimit());
    }

    private void httpExtras(ProbeSpec ps) {
        if (expectStatus != null) {
            ps.status(expectStatus);
        }
        if (bodyRegex != null) {
            ps.bodyRegex(bodyRegex);
        }
        if (jsonField != null) {
            ps.json(jsonField);
        }
        for (String h : headers) {
            int eq = h.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(names.apply("header") + " '" + h + "': expected NAME=ENVVAR");
            }
            ps.header(h.substring(0, eq), h.substring(eq + 1));
        }
    }

    private Duration duration(String setting, String text) {
        try {
            return Units.duration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(names.apply(setting) + ": " + e.getMessage());
        }
    }
}
