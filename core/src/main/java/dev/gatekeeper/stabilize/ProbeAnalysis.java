package dev.gatekeeper.stabilize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs every probe once per sample, {@code interval} apart, and judges each probe's series by the plan. Stops
 * early as soon as one probe has failed too often (FAILED) or errored too many times in a row (ERROR): waiting out
 * the remaining samples would only keep a broken service live longer. A probe none of whose measurements
 * succeeded, with errors below the limit, is INCONCLUSIVE.
 */
public final class ProbeAnalysis {
    private List<Probe> probes = List.of();
    private SamplingPlan plan = SamplingPlan.DEFAULT;
    private Consumer<String> progress = s -> { };
    private Sleeper sleeper = Sleeper.SYSTEM;
    private java.time.Clock clock = java.time.Clock.systemUTC();

    public ProbeAnalysis setProbes(List<Probe> v) { this.probes = List.copyOf(v); return this; }
    public ProbeAnalysis setPlan(SamplingPlan v) { this.plan = v; return this; }
    /** Receives one line per measurement, e.g. for stderr. */
    public ProbeAnalysis setProgress(Consumer<String> v) { this.progress = v; return this; }
    public ProbeAnalysis setSleeper(Sleeper v) { this.sleeper = v; return this; }
    /** When a verdict is reached ({@link Analysis#decidedAt()}). */
    public ProbeAnalysis setClock(java.time.Clock v) { this.clock = v; return this; }

    private static final class Series {
        int ok;
        int failures;
        int errors;
        int consecutiveErrors;
        String lastFailure;
        String lastError;
    }

    public Analysis call() throws InterruptedException {
        if (probes.isEmpty()) {
            throw new IllegalStateException("no probes");
        }
        Map<Probe, Series> series = new LinkedHashMap<>();
        probes.forEach(p -> series.put(p, new Series()));
        List<String> log = new ArrayList<>();
        int failures = 0;
        int errors = 0;
        for (int n = 1; n <= plan.samples(); n++) {
            if (n > 1 && !plan.interval().isZero()) {
                sleeper.sleep(plan.interval());
            }
            for (Probe p : probes) {
                Measurement m = p.measure();
                Series s = series.get(p);
                String line = "sample " + n + "/" + plan.samples() + " " + p.name() + ": " + m.kind().name()
                        .toLowerCase(java.util.Locale.ROOT) + " (" + m.detail() + ", " + m.millis() + " ms)";
                log.add(line);
                progress.accept(line);
                switch (m.kind()) {
                    case OK -> {
                        s.ok++;
                        s.consecutiveErrors = 0;
                    }
                    case FAILURE -> {
                        s.failures++;
                        failures++;
                        s.consecutiveErrors = 0;
                        s.lastFailure = m.detail();
                    }
                    case ERROR -> {
                        s.errors++;
                        errors++;
                        s.consecutiveErrors++;
                        s.lastError = m.detail();
                    }
                }
                if (s.failures > plan.failureLimit()) {
                    return new Analysis(Analysis.Verdict.FAILED, p.name(), s.lastFailure, s.failures
                            + " failure" + (s.failures == 1 ? "" : "s") + " in " + n + " sample" + (n == 1 ? "" : "s")
                            + " (limit " + plan.failureLimit() + ")", n, failures, errors, log, clock.instant());
                }
                if (s.consecutiveErrors > plan.consecutiveErrorLimit()) {
                    return new Analysis(Analysis.Verdict.ERROR, p.name(), s.lastError, s.consecutiveErrors
                            + " errors in a row (limit " + plan.consecutiveErrorLimit() + ")", n, failures, errors, log,
                            clock.instant());
                }
            }
        }
        for (Map.Entry<Probe, Series> e : series.entrySet()) {
            if (e.getValue().ok == 0) {
                // every measurement errored, below the limit only because there were few samples: nothing says
                // the service works, and nothing says it is broken
                return new Analysis(Analysis.Verdict.INCONCLUSIVE, e.getKey().name(), "no successful measurement ("
                        + e.getValue().lastError + ")", "0 of " + plan.samples() + " samples ok", plan.samples(), failures, errors, log, clock.instant());
            }
        }
        return new Analysis(Analysis.Verdict.HEALTHY, null, null, plan.samples() + " samples ok", plan.samples(), failures, errors, log,
                clock.instant());
    }
}
