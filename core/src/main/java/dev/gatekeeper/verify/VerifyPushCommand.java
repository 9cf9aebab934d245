package dev.gatekeeper.verify;

import dev.gatekeeper.GatekeeperException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that a remote branch holds what an agent claimed to have pushed, JGit style: set what you know, then
 * {@link #call()}.
 *
 * <p>Plain mode checks one {@link Expectation}. Wrap mode ({@link #setAgent}) reads the tip first, runs the agent's
 * command, then requires that the branch moved and holds the working clone's HEAD (or {@code --expect}).
 *
 * <p>Remotes are eventually consistent (replicas, caches, CDNs in front of APIs), so a tip that does not match yet
 * is read again with capped exponential backoff until the deadline. Only a tip actually read and found wrong is
 * "not verified"; when the last read failed the verdict is "inconclusive", never "not verified" and never
 * "verified". Every read runs under the deadline: a read that hangs is abandoned and counts as timed out.
 */
public final class VerifyPushCommand {
    /** Wrap mode: where the working clone's HEAD comes from after the agent ran. */
    public interface HeadSource {
        /** @return the commit HEAD names, empty when it names none */
        Optional<String> head() throws GatekeeperException;
    }

    private RefReader reader;
    private String ref;
    private Expectation expectation;
    private Duration timeout = Duration.ofSeconds(30);
    private Backoff backoff = Backoff.DEFAULT;
    private AgentCommand agent;
    private HeadSource head;

    public VerifyPushCommand setReader(RefReader v) { this.reader = v; return this; }
    public VerifyPushCommand setRef(String v) { this.ref = v; return this; }
    /** In wrap mode a null commit means "the working clone's HEAD after the command". */
    public VerifyPushCommand setExpectation(Expectation v) { this.expectation = v; return this; }
    public VerifyPushCommand setTimeout(Duration v) { this.timeout = v; return this; }
    public VerifyPushCommand setBackoff(Backoff v) { this.backoff = v; return this; }
    public VerifyPushCommand setAgent(AgentCommand v) { this.agent = v; return this; }
    public VerifyPushCommand setHead(HeadSource v) { this.head = v; return this; }

    public Verification call() throws GatekeeperException, InterruptedException {
        if (reader == null || ref == null || expectation == null) {
            throw new IllegalStateException("reader, ref and expectation are required");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        Run run = new Run();
        return agent == null ? plain(run) : wrapped(run);
    }

    private Verification plain(Run run) throws InterruptedException {
        Polled p = run.poll(expectation, "verify");
        String before = expectation.mustMove() ? expectation.baseline() : null;
        if (p.outcome != null && p.outcome.met()) {
            return run.done(Verdict.VERIFIED, "", expectation, before, expectation.mustMove(), p.tip, null);
        }
        if (p.error != null) {
            return run.done(Verdict.INCONCLUSIVE, run.failure(p), expectation, before, expectation.mustMove(), p.tip,
                    null);
        }
        return run.done(Verdict.NOT_VERIFIED, p.outcome.reason(), expectation, before,
                expectation.mustMove(), p.tip, null);
    }

    private Verification wrapped(Run run) throws GatekeeperException, InterruptedException {
        if (head == null && expectation.commit() == null) {
            throw new IllegalStateException("wrap mode needs a head source or an expected commit");
        }
        Polled before = run.poll(null, "before");
        boolean beforeKnown = before.error == null;
        AgentRun ran = agent.run();
        if (!ran.succeeded()) {
            return run.done(Verdict.NOT_VERIFIED, "agent command failed (exit " + ran.exitCode() + ")", expectation,
                    before.tip, beforeKnown, null, ran);
        }
        String commit = expectation.commit();
        if (commit == null) {
            Optional<String> h = head.head();
            if (h.isEmpty()) {
                return run.done(Verdict.NOT_VERIFIED, "agent command succeeded but HEAD of the working clone names no "
                        + "commit", expectation, before.tip, beforeKnown, null, ran);
            }
            commit = h.get();
        }
        Expectation claim = new Expectation(commit, expectation.contains(), beforeKnown, beforeKnown ? before.tip : null);
        Run verifying = run.restartDeadline();
        Polled after = verifying.poll(claim, "verify");
        if (after.outcome != null && after.outcome.met()) {
            if (beforeKnown) {
                return run.done(Verdict.VERIFIED, "", claim, before.tip, true, after.tip, ran);
            }
            return run.done(Verdict.INCONCLUSIVE, "the branch holds " + Expectation.abbrev(commit) + " now, but the "
                    + "remote could not be read before the command (" + before.error.getMessage() + "), so whether "
                    + "this run pushed it is unknown", claim, null, false, after.tip, ran);
        }
        if (after.error != null) {
            return run.done(Verdict.INCONCLUSIVE, run.failure(after), claim, before.tip, beforeKnown, after.tip, ran);
        }
        String reason = after.outcome.result() == Expectation.Result.NOT_MOVED
                ? "agent command succeeded but nothing was pushed to " + ref + ": still at "
                        + Expectation.abbrev(after.tip)
                : "agent command succeeded but " + after.outcome.reason();
        return run.done(Verdict.NOT_VERIFIED, reason, claim, before.tip, beforeKnown, after.tip, ran);
    }

    /** The last read of a poll: a tip and how it compared, or why it could not be read. */
    private static final class Polled {
        String tip;
        Expectation.Outcome outcome;
        RemoteReadException error;
        int attempts;
    }

    /** The clock and attempt log of one call; wrap mode restarts the deadline after the agent ran. */
    private final class Run {
        private final Instant started = Instant.now();
        private final long startNanos;
        private final List<Attempt> attempts;
        private final long deadlineNanos;

        Run() {
            this(System.nanoTime(), new ArrayList<>(), System.nanoTime());
        }

        private Run(long startNanos, List<Attempt> attempts, long phaseStart) {
            this.startNanos = startNanos;
            this.attempts = attempts;
            this.deadlineNanos = phaseStart + timeout.toNanos();
        }

        Run restartDeadline() {
            return new Run(startNanos, attempts, System.nanoTime());
        }

        /** Reads until {@code exp} is met (null: until any answer, a missing branch included) or the deadline. */
        Polled poll(Expectation exp, String phase) throws InterruptedException {
            Polled p = new Polled();
            long lastMillis = 0;
            for (int n = 1; ; n++) {
                long at = System.nanoTime();
                // a read that starts before the deadline gets at least a second (or the whole timeout if shorter):
                // cutting the last read to a few milliseconds would turn a slow answer into "timed out"
                long budget = Math.max(deadlineNanos - at, Math.min(timeout.toNanos(), MIN_READ_BUDGET_NANOS));
                p.tip = null;
                p.outcome = null;
                p.error = null;
                try {
                    Read r = bounded(exp, budget);
                    p.tip = r.tip.orElse(null);
                    p.outcome = r.outcome;
                } catch (RemoteReadException e) {
                    p.error = e;
                }
                long end = System.nanoTime();
                p.attempts = n;
                lastMillis = (end - at) / 1_000_000;
                attempts.add(new Attempt(phase, n, (at - startNanos) / 1_000_000, lastMillis, p.tip,
                        p.error == null ? null : p.error.getMessage()));
                if (p.outcome != null && p.outcome.met()) {
                    return p;
                }
                if (p.error != null && !p.error.kind().retryable()) {
                    return p;
                }
                long wait;
                if (p.error != null && p.error.retryAt().isPresent()) {
                    // the service told us when it answers again (or, for a limit that gave no time, the reader's
                    // backoff did); asking earlier only burns the quota and prolongs a secondary limit
                    long untilNanos = Duration.between(Instant.now(), p.error.retryAt().get()).toNanos();
                    if (end + untilNanos > deadlineNanos) {
                        p.error = new RemoteReadException(p.error.kind(), p.error.getMessage() + "; the next read "
                                + "may not be before " + p.error.retryAt().get() + ", after the deadline", p.error);
                        return p;
                    }
                    wait = Math.max(untilNanos, 0);
                } else {
                    // leave room for one more read as long as the last one took, so the last try lands before the
                    // deadline instead of sleeping through it
                    long room = deadlineNanos - end - lastMillis * 1_000_000;
                    if (room <= 0) {
                        return p;
                    }
                    wait = Math.min(backoff.delay(n).toNanos(), room);
                }
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }

        /** One read and comparison on its own thread, abandoned when it overruns {@code budgetNanos}. */
        private Read bounded(Expectation exp, long budgetNanos) throws RemoteReadException, InterruptedException {
            Read[] result = new Read[1];
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    Optional<String> tip = reader.tip(ref);
                    result[0] = new Read(tip, exp == null ? MET : exp.check(tip, reader));
                } catch (RemoteReadException | RuntimeException | Error e) {
                    failure[0] = e;
                }
            }, "gatekeeper-verify-read");
            t.setDaemon(true);
            t.start();
            t.join(Math.max(1, budgetNanos / 1_000_000));
            if (t.isAlive()) {
                t.interrupt();
                throw new RemoteReadException(RemoteReadException.Kind.TIMED_OUT, "no answer within "
                        + millis(budgetNanos / 1_000_000));
            }
            if (failure[0] instanceof RemoteReadException e) {
                throw e;
            }
            if (failure[0] instanceof RuntimeException e) {
                throw e;
            }
            if (failure[0] instanceof Error e) {
                throw e;
            }
            return result[0];
        }

        String failure(Polled p) {
            return "cannot read " + reader.describe() + ": " + p.error.getMessage();
        }

        Verification done(Verdict verdict, String reason, Expectation exp, String before, boolean beforeKnown,
                          String after, AgentRun ran) {
            return new Verification(verdict, reason, reader.describe(), reader.kind(), ref, exp, before, beforeKnown,
                    after, attempts, started, Duration.ofNanos(System.nanoTime() - startNanos), ran);
        }
    }

    private static final long MIN_READ_BUDGET_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Expectation.Outcome MET = new Expectation.Outcome(Expectation.Result.MET, "");

    private record Read(Optional<String> tip, Expectation.Outcome outcome) {}

    static String millis(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
