package dev.gatekeeper.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The three ways a scan is shown: a table for people (empty when everything is clean, so cron mails nothing),
 * JSON for machines, Markdown for CI job summaries.
 */
public enum DriftReportFormat {
    TABLE, JSON, MARKDOWN;

    public String render(DriftScan.Report report) {
        return switch (this) {
            case TABLE -> table(report);
            case JSON -> json(report);
            case MARKDOWN -> markdown(report);
        };
    }

    private static String table(DriftScan.Report report) {
        StringBuilder sb = new StringBuilder();
        for (TargetResult r : report.results()) {
            if (r.status() == TargetResult.Status.CLEAN) {
                continue;
            }
            sb.append(r.status()).append("  ").append(r.target().id()).append(r.skipped() ? "  (unchanged)" : "")
                    .append('\n');
            if (r.error() != null) {
                sb.append("  cannot scan: ").append(r.error()).append('\n');
            }
            for (Finding f : r.findings()) {
                sb.append("  ").append(f.kind()).append(' ').append(f.subject()).append(": ").append(f.detail())
                        .append('\n');
                if (f.heal() != null && !report.healed()) {
                    sb.append("    --heal would: ").append(f.heal()).append('\n');
                }
            }
            r.healed().forEach(h -> sb.append("  healed: ").append(h).append('\n'));
        }
        report.problems().forEach(p -> sb.append("warning: ").append(p).append('\n'));
        return sb.toString();
    }

    private static String markdown(DriftScan.Report report) {
        StringBuilder sb = new StringBuilder("## Gatekeeper drift scan\n\n");
        long bad = report.results().stream().filter(r -> r.status() != TargetResult.Status.CLEAN).count();
        if (bad == 0) {
            return sb.append("No drift in ").append(report.results().size()).append(" target(s).\n").toString();
        }
        sb.append("| target | status | kind | subject | detail |\n| --- | --- | --- | --- | --- |\n");
        for (TargetResult r : report.results()) {
            if (r.error() != null) {
                sb.append(row(r.target().id(), "ERROR", "", "", r.error()));
            }
            for (Finding f : r.findings()) {
                sb.append(row(r.target().id(), r.status().name(), f.kind().wire(), f.subject(), f.detail()));
            }
            for (String h : r.healed()) {
                sb.append(row(r.target().id(), "HEALED", "", "", h));
            }
        }
        return sb.toString();
    }

    private static String row(String... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            sb.append(' ').append(c == null ? "" : c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        return sb.append('\n').toString();
    }

    private static String json(DriftScan.Report report) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("exitCode", report.exitCode().code());
            g.writeStringField("verdict", report.verdict());
            g.writeNumberField("findings", report.findingCount());
            g.writeArrayFieldStart("targets");
            for (TargetResult r : report.results()) {
                g.writeStartObject();
                g.writeStringField("target", r.target().id());
                g.writeStringField("kind", r.target().kind().name().toLowerCase());
                g.writeStringField("status", r.status().name());
                g.writeBooleanField("unchanged", r.skipped());
                if (r.error() != null) {
                    g.writeStringField("error", r.error());
                }
                g.writeArrayFieldStart("findings");
                for (Finding f : r.findings()) {
                    g.writeStartObject();
                    g.writeStringField("kind", f.kind().wire());
                    g.writeStringField("subject", f.subject());
                    g.writeStringField("detail", f.detail());
                    if (f.heal() != null) {
                        g.writeStringField("heal", f.heal());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("healed");
                for (String h : r.healed()) {
                    g.writeString(h);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("alertsSent");
            for (String a : report.alertsSent()) {
                g.writeString(a);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (String p : report.problems()) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString() + "\n";
    }
}
