package dev.gatekeeper.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A verification as one human line or as one JSON object. Shared by every packaging so the CLI, a Jenkins step
 * and the GitHub Action say the same thing in the same words. Streaming Jackson: no databind start-up cost on the
 * verify-push path.
 */
public final class VerificationReport {
    private static final JsonFactory FACTORY = new JsonFactory();

    private VerificationReport() {}

    /** E.g. {@code verified: origin (…) refs/heads/main 1a2b3c4d5e6f..9f8e7d6c5b4a holds 9f8e7d6c5b4a [1 read, 41 ms]}. */
    public static String line(Verification v) {
        StringBuilder sb = new StringBuilder();
        switch (v.verdict()) {
            case VERIFIED -> sb.append("verified: ");
            case NOT_VERIFIED -> sb.append("NOT VERIFIED: ");
            default -> sb.append("INCONCLUSIVE: ");
        }
        sb.append(v.remote()).append(' ').append(v.ref());
        if (v.verdict() == Verdict.VERIFIED) {
            if (v.expectation().mustMove()) {
                sb.append(" moved ").append(v.before() == null ? "(new)" : Expectation.abbrev(v.before())).append("..")
                        .append(Expectation.abbrev(v.after()));
            } else {
                sb.append(" is at ").append(Expectation.abbrev(v.after()));
            }
            if (v.expectation().commit() != null) {
                sb.append(v.expectation().contains() ? ", contains " : ", as expected ")
                        .append(Expectation.abbrev(v.expectation().commit()));
            }
        } else {
            sb.append(": ").append(v.reason());
        }
        int reads = v.verifyAttempts();
        sb.append(" [").append(reads).append(reads == 1 ? " read, " : " reads, ")
                .append(VerifyPushCommand.millis(v.elapsed().toMillis()));
        if (v.agent() != null) {
            sb.append(", agent exit ").append(v.agent().exitCode());
        }
        return sb.append(']').toString();
    }

    /**
     * Every fact of the run as one JSON object: verdict, exit, reason, remote, reader, ref, mode, expected, before,
     * after, attempts, timings (total, before, command, verify, each read) and the agent's exit.
     *
     * @param eventId  the audit event written for this run, or null
     * @param auditLog where it was written, or null
     */
    public static String json(Verification v, String eventId, String auditLog) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("verdict", v.verdict().wire());
            g.writeNumberField("exit", v.verdict().exitCode().code());
            g.writeStringField("reason", v.reason());
            g.writeStringField("remote", v.remote());
            g.writeStringField("reader", v.readerKind());
            g.writeStringField("ref", v.ref());
            g.writeStringField("mode", v.agent() != null ? "wrap" : v.expectation().mode());
            nullable(g, "expected", v.expectation().commit());
            g.writeBooleanField("contains", v.expectation().contains());
            nullable(g, "before", v.before());
            g.writeBooleanField("before_known", v.beforeKnown());
            nullable(g, "after", v.after());
            g.writeNumberField("attempts", v.verifyAttempts());
            g.writeObjectFieldStart("timings");
            g.writeStringField("started", v.started().toString());
            g.writeNumberField("total_ms", v.elapsed().toMillis());
            g.writeNumberField("before_ms", v.phaseMillis("before"));
            g.writeNumberField("command_ms", v.agent() == null ? 0 : v.agent().duration().toMillis());
            g.writeNumberField("verify_ms", v.phaseMillis("verify"));
            g.writeArrayFieldStart("reads");
            for (Attempt a : v.attempts()) {
                g.writeStartObject();
                g.writeStringField("phase", a.phase());
                g.writeNumberField("n", a.number());
                g.writeNumberField("at_ms", a.atMillis());
                g.writeNumberField("ms", a.millis());
                nullable(g, "tip", a.tip());
                nullable(g, "error", a.error());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            if (v.agent() != null) {
                g.writeObjectFieldStart("agent");
                g.writeStringField("program", v.agent().program());
                g.writeNumberField("exit", v.agent().exitCode());
                g.writeNumberField("ms", v.agent().duration().toMillis());
                g.writeEndObject();
            }
            nullable(g, "event", eventId);
            nullable(g, "audit_log", auditLog);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void nullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
