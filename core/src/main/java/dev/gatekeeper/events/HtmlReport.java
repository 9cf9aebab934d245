package dev.gatekeeper.events;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page over events and their incidents: a summary, the incidents with their time to
 * detect and recover, an SVG timeline of pushes, refusals, break-glass, reverts and drift, and every event with
 * its id (an anchor, so {@code #ev-…} links to it). No script, no external asset, no network: a Content Security
 * Policy forbids everything but inline styles, so the page is safe to attach to a ticket or open from a mail.
 */
public final class HtmlReport {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The timeline's lanes, top to bottom, with their colours. */
    enum Lane {
        PUSHES("pushes", "#2e86de"), REFUSALS("refusals", "#d7263d"), BREAK_GLASS("break-glass", "#8e44ad"),
        REVERTS("stabilize & reverts", "#e67e22"), DRIFT("drift", "#16a085"), OTHER("other", "#7f8c8d");

        final String label;
        final String colour;

        Lane(String label, String colour) {
            this.label = label;
            this.colour = colour;
        }

        String css() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Lane of(String wire) {
            EventType type = EventType.of(wire).orElse(null);
            if (type == null) {
                return OTHER;
            }
            return switch (type) {
                case PUSH_ALLOWED, PUSH_VERIFIED -> PUSHES;
                case PUSH_REFUSED, PUSH_UNVERIFIED, PUSH_INCONCLUSIVE -> REFUSALS;
                case PUSH_BREAK_GLASS -> BREAK_GLASS;
                case DRIFT_FOUND, DRIFT_ALERTED, DRIFT_RESOLVED, DRIFT_HEALED -> DRIFT;
                // notifications sit with the run that sent them in incidents, and in no lane of their own here
                case NOTIFY_SENT, NOTIFY_FAILED -> OTHER;
                default -> type.stabilize() ? REVERTS : OTHER;
            };
        }
    }

    private HtmlReport() {}

    /**
     * @param sources   the logs the events came from, named in the header
     * @param generated when the page was made
     */
    public static String render(List<Event> events, List<Incident> incidents, List<String> sources,
            Instant generated) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(Event::time).thenComparing(Event::id));
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Gatekeeper report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, sorted, sources, generated);
        summary(h, sorted, incidents);
        incidents(h, incidents);
        timeline(h, sorted, incidents);
        eventTable(h, sorted);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, List<Event> sorted, List<String> sources, Instant generated) {
        h.append("<header>\n<h1>Gatekeeper: incidents and timeline</h1>\n<p class=\"meta\">");
        if (sorted.isEmpty()) {
            h.append("No events.");
        } else {
            h.append(sorted.size()).append(" events from ").append(esc(TIME.format(sorted.get(0).time())))
                    .append(" to ").append(esc(TIME.format(sorted.get(sorted.size() - 1).time()))).append('.');
        }
        h.append(" Generated ").append(esc(TIME.format(generated))).append(" by <code>gatekeeper events report")
                .append("</code>.</p>\n<details><summary>").append(sources.size()).append(" log")
                .append(sources.size() == 1 ? "" : "s").append("</summary><ul>");
        for (String s : sources) {
            h.append("<li><code>").append(esc(s)).append("</code></li>");
        }
        h.append("</ul></details>\n</header>\n");
    }

    private static void summary(StringBuilder h, List<Event> sorted, List<Incident> incidents) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pushes accepted", count(sorted, EventType.PUSH_ALLOWED));
        counts.put("pushes refused", count(sorted, EventType.PUSH_REFUSED));
        counts.put("break-glass uses", count(sorted, EventType.PUSH_BREAK_GLASS));
        counts.put("reverts pushed", count(sorted, EventType.REVERT_PUSHED));
        counts.put("drift found", count(sorted, EventType.DRIFT_FOUND));
        counts.put("incidents", (long) incidents.size());
        counts.put("still open", incidents.stream().filter(i -> i.status() != Incident.Status.RECOVERED).count());
        h.append("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"counts\">\n");
        for (Map.Entry<String, Long> c : counts.entrySet()) {
            h.append("<div data-count=\"").append(esc(c.getKey())).append("\"><dt>").append(esc(c.getKey()))
                    .append("</dt><dd>").append(c.getValue()).append("</dd></div>\n");
        }
        h.append("</dl>\n</section>\n");
    }

    private static void incidents(StringBuilder h, List<Incident> incidents) {
        h.append("<section id=\"incidents\">\n<h2>Incidents</h2>\n");
        if (incidents.isEmpty()) {
            h.append("<p>No incidents.</p>\n</section>\n");
            return;
        }
        h.append("<table>\n<thead><tr><th>kind</th><th>status</th><th>what happened</th><th>started</th>"
                + "<th>time to detect</th><th>time to recover</th><th>events</th></tr></thead>\n<tbody>\n");
        for (Incident i : incidents) {
            h.append("<tr class=\"incident status-").append(i.status().name().toLowerCase(Locale.ROOT))
                    .append("\" id=\"incident-").append(esc(i.id())).append("\" data-kind=\"")
                    .append(i.kind().label()).append("\" data-status=\"").append(esc(i.status().label())).append('"');
            millis(h, "data-ttd-ms", i.timeToDetect());
            millis(h, "data-ttr-ms", i.timeToRecover());
            h.append(">\n<td class=\"kind\">").append(i.kind().label()).append("</td><td class=\"status\">")
                    .append(esc(i.status().label())).append("</td><td class=\"title\">").append(esc(i.title()))
                    .append(i.repository() == null ? "" : "<br><small>" + esc(i.repository()) + "</small>")
                    .append("</td><td>").append(esc(TIME.format(i.start()))).append("</td><td class=\"ttd\">")
                    .append(i.startKnown() ? Incident.format(i.timeToDetect()) : "unknown")
                    .append("</td><td class=\"ttr\">").append(i.recovered() == null ? "still open"
                            : Incident.format(i.timeToRecover())).append("</td><td class=\"ids\">");
            for (String id : i.eventIds()) {
                h.append("<a href=\"#").append(esc(id)).append("\">").append(esc(id)).append("</a> ");
            }
            h.append("</td>\n</tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"note\">Time to detect: from the start (the merge that landed, the "
                + "first refused push) to Gatekeeper seeing it (the failing probe, the refusal); unknown for drift, "
                + "which happened at some time between two scans. Time to recover: from the start to the end "
                + "(recovery confirmed, break-glass let the fix in, drift resolved or healed).</p>\n</section>\n");
    }

    private static final int WIDTH = 1100;
    private static final int LEFT = 150;
    private static final int RIGHT = 20;
    private static final int LANE = 34;
    private static final int TOP = 24;

    private static void timeline(StringBuilder h, List<Event> sorted, List<Incident> incidents) {
        h.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n");
        if (sorted.isEmpty()) {
            h.append("<p>No events.</p>\n</section>\n");
            return;
        }
        Instant t0 = sorted.get(0).time();
        Instant t1 = sorted.get(sorted.size() - 1).time();
        long span = Math.max(1, Duration.between(t0, t1).toMillis());
        Lane[] lanes = Lane.values();
        int height = TOP + LANE * lanes.length + 30;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"timeline\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\">\n");
        for (int l = 0; l < lanes.length; l++) {
            int y = TOP + l * LANE;
            h.append("<g class=\"lane\" data-lane=\"").append(lanes[l].css()).append("\"><rect x=\"").append(LEFT)
                    .append("\" y=\"").append(y).append("\" width=\"").append(WIDTH - LEFT - RIGHT)
                    .append("\" height=\"").append(LANE - 4).append("\" fill=\"").append(l % 2 == 0 ? "#f6f8fa"
                            : "#ffffff").append("\"/><text x=\"8\" y=\"").append(y + LANE / 2 + 2)
                    .append("\" class=\"lane-label\">").append(esc(lanes[l].label)).append("</text></g>\n");
        }
        for (Incident i : incidents) {
            double x0 = x(i.start(), t0, span);
            double x1 = x(i.recovered() == null ? t1 : i.recovered(), t0, span);
            h.append("<rect class=\"incident-span\" data-incident=\"").append(esc(i.id())).append("\" x=\"")
                    .append(fmt(x0)).append("\" y=\"").append(TOP - 14).append("\" width=\"")
                    .append(fmt(Math.max(3, x1 - x0))).append("\" height=\"").append(LANE * lanes.length + 10)
                    .append("\" fill=\"").append(i.status() == Incident.Status.RECOVERED ? "#f5a623" : "#d7263d")
                    .append("\" fill-opacity=\"0.12\"><title>").append(esc(i.kind().label() + ": " + i.title()
                            + " (time to recover " + (i.recovered() == null ? "still open"
                            : Incident.format(i.timeToRecover())) + ")")).append("</title></rect>\n");
        }
        for (Event e : sorted) {
            Lane lane = Lane.of(e.type());
            int y = TOP + lane.ordinal() * LANE + (LANE - 4) / 2;
            h.append("<a href=\"#").append(esc(e.id())).append("\"><circle class=\"mark\" data-event=\"")
                    .append(esc(e.id())).append("\" data-type=\"").append(esc(e.type())).append("\" cx=\"")
                    .append(fmt(x(e.time(), t0, span))).append("\" cy=\"").append(y).append("\" r=\"6\" fill=\"")
                    .append(lane.colour).append("\"><title>").append(esc(TIME.format(e.time()) + " " + e.type()
                            + (e.ref() == null ? "" : " " + e.ref()) + " (" + e.id() + ")"))
                    .append("</title></circle></a>\n");
        }
        int axis = TOP + LANE * lanes.length + 14;
        for (int k = 0; k <= 4; k++) {
            Instant t = t0.plusMillis(span * k / 4);
            h.append("<text class=\"tick\" x=\"").append(fmt(x(t, t0, span))).append("\" y=\"").append(axis)
                    .append("\" text-anchor=\"").append(k == 0 ? "start" : k == 4 ? "end" : "middle").append("\">")
                    .append(esc(span < 86_400_000L ? CLOCK.format(t) : TIME.format(t))).append("</text>\n");
        }
        h.append("</svg>\n</section>\n");
    }

    private static void eventTable(StringBuilder h, List<Event> sorted) {
        h.append("<section id=\"events\">\n<h2>Events</h2>\n<table>\n<thead><tr><th>time</th><th>type</th>"
                + "<th>repository / ref</th><th>commits</th><th>who / proof</th><th>reason</th><th>id</th></tr>"
                + "</thead>\n<tbody>\n");
        for (Event e : sorted) {
            h.append("<tr class=\"event lane-").append(Lane.of(e.type()).css()).append("\" id=\"").append(esc(e.id()))
                    .append("\" data-type=\"").append(esc(e.type())).append("\"><td>")
                    .append(esc(TIME.format(e.time()))).append("</td><td>").append(esc(e.type())).append("</td><td>")
                    .append(esc(nz(e.repository()))).append(e.ref() == null ? "" : "<br>" + esc(e.ref()))
                    .append("</td><td><code>").append(esc(commits(e))).append("</code></td><td>")
                    .append(esc(nz(e.pusher()))).append(e.proof() == null ? "" : "<br><small>" + esc(e.proof())
                            + "</small>").append("</td><td>").append(esc(nz(e.reason()))).append("</td><td><code>")
                    .append(esc(e.id())).append("</code></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static String commits(Event e) {
        String o = e.oldId() == null ? "" : abbrev(e.oldId());
        String n = e.newId() == null ? "" : abbrev(e.newId());
        return o.isEmpty() ? n : o + ".." + n;
    }

    private static String abbrev(String id) {
        return id.length() > 10 ? id.substring(0, 10) : id;
    }

    private static void millis(StringBuilder h, String attr, Duration d) {
        if (d != null) {
            h.append(' ').append(attr).append("=\"").append(d.toMillis()).append('"');
        }
    }

    private static double x(Instant t, Instant t0, long span) {
        return LEFT + 8 + (WIDTH - LEFT - RIGHT - 16) * (double) Duration.between(t0, t).toMillis() / span;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    private static long count(List<Event> events, EventType type) {
        return events.stream().filter(type::is).count();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** HTML-escapes text and attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final String CSS = String.join("\n",
            "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1f2328;}",
            "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}",
            ".meta,.note{color:#59636e}.note{font-size:12px}",
            "table{border-collapse:collapse;width:100%;font-size:13px}",
            "th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}",
            "th{background:#f6f8fa}code{font-size:12px}",
            ".counts{display:flex;flex-wrap:wrap;gap:10px;margin:0}",
            ".counts div{border:1px solid #d0d7de;border-radius:6px;padding:6px 12px;min-width:110px}",
            ".counts dt{color:#59636e;font-size:12px}.counts dd{margin:0;font-size:20px;font-weight:600}",
            "tr.status-recovered td.status{color:#1a7f37;font-weight:600}",
            "tr.status-open td.status,tr.status-failed td.status{color:#d7263d;font-weight:600}",
            "td.ttd,td.ttr{white-space:nowrap;font-weight:600}",
            ".lane-label{font-size:12px;fill:#59636e}.tick{font-size:11px;fill:#59636e}",
            "svg{max-width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px}",
            "tr.event:target{background:#fff8c5}",
            "");
}
