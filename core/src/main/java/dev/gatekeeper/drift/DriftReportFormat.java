package dev.gatekeeper.drift;


/**
 * How a scan is shown to people: a table (empty when everything is clean, so cron mails nothing) and Markdown for
 * CI job summaries. Machines read the outcome's JSON ({@link dev.gatekeeper.outcome.OutcomeJson}).
 */
public enum DriftReportFormat {
    TABLE, MARKDOWN;

    /** A scan's report, its problems as warnings. */
    public String render(DriftScan.Report report) {
        return render(DriftReport.of(report), report.problems());
    }

    /** The report; {@code warnings} are what the scan could not do (the outcome's warnings). */
    public String render(DriftReport report, java.util.List<String> warnings) {
        return switch (this) {
            case TABLE -> table(report, warnings);
            case MARKDOWN -> markdown(report);
        };
    }

    private static String table(DriftReport report, java.util.List<String> warnings) {
        StringBuilder sb = new StringBuilder();
        for (DriftReport.TargetReport r : report.targets()) {
            if (r.status() == TargetResult.Status.CLEAN) {
                continue;
            }
            sb.append(r.status()).append("  ").append(r.target()).append(r.unchanged() ? "  (unchanged)" : "")
                    .append('\n');
            if (r.error() != null) {
                sb.append("  cannot scan: ").append(r.error()).append('\n');
            }
            for (Finding f : r.findings()) {
                sb.append("  ").append(f.kind()).append(' ').append(f.subject()).append(": ").append(f.detail())
                        .append('\n');
                if (f.heal() != null && !report.heal()) {
                    sb.append("    a heal would: ").append(f.heal()).append('\n');
                }
            }
            r.healed().forEach(h -> sb.append("  healed: ").append(h).append('\n'));
        }
        warnings.forEach(p -> sb.append("warning: ").append(p).append('\n'));
        return sb.toString();
    }

    private static String markdown(DriftReport report) {
        StringBuilder sb = new StringBuilder("## Gatekeeper drift scan\n\n");
        long bad = report.targets().stream().filter(r -> r.status() != TargetResult.Status.CLEAN).count();
        if (bad == 0) {
            return sb.append("No drift in ").append(report.targets().size()).append(" target(s).\n").toString();
        }
        sb.append("| target | status | kind | subject | detail |\n| --- | --- | --- | --- | --- |\n");
        for (DriftReport.TargetReport r : report.targets()) {
            if (r.error() != null) {
                sb.append(row(r.target(), "ERROR", "", "", r.error()));
            }
            for (Finding f : r.findings()) {
                sb.append(row(r.target(), r.status().name(), f.kind().wire(), f.subject(), f.detail()));
            }
            for (String h : r.healed()) {
                sb.append(row(r.target(), "HEALED", "", "", h));
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
}
