package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventJson;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.events.HtmlReport;
import dev.gatekeeper.events.Incident;
import dev.gatekeeper.events.IncidentFormat;
import dev.gatekeeper.events.Incidents;
import dev.gatekeeper.events.Timeline;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.io.AtomicFile;
import dev.gatekeeper.policy.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Read the audit logs: a timeline, one event, incidents measured, an HTML report.",
        subcommands = {EventsCommand.Tail.class, EventsCommand.Show.class, EventsCommand.IncidentsCommand.class,
            EventsCommand.Report.class})
final class EventsCommand {

    /**
     * Where the logs are: explicit files and/or repositories whose policy names their log (both repeatable; the
     * events of several logs are merged by time). With neither, the repository in the current folder. Each log comes
     * with the security log and ledger beside it (the gate keeps each event in one of the three: see AuditTrail).
     */
    static final class LogOptions {
        @Option(names = "--git-dir", paramLabel = "DIR",
                description = "repository whose audit trail to read (repeatable; default: . when no --log)")
        List<Path> gitDirs = new ArrayList<>();
        @Option(names = "--log", paramLabel = "FILE",
                description = "read this log file and its .security/.ledger siblings (repeatable)")
        List<Path> logs = new ArrayList<>();
        @Option(names = "--since", paramLabel = "DURATION", description = "only events of the last DURATION, e.g. 7d")
        String since;

        /** One trail per --log and per --git-dir (a repository's includes the landings not yet folded in). */
        List<AuditTrail> open() {
            List<AuditTrail> out = new ArrayList<>();
            AuditTrail.Budget b = new AuditTrail.Budget(GateEnvironment.DEFAULT_MAX_FILE,
                    GateEnvironment.DEFAULT_MAX_FILES);
            for (Path l : logs) {
                out.add(new AuditTrail(l, b, b, b));
            }
            List<Path> dirs = gitDirs.isEmpty() && logs.isEmpty() ? List.of(Path.of(".")) : gitDirs;
            for (Path d : dirs) {
                out.add(GateEnvironment.load(d.toAbsolutePath().normalize(), System.getenv()).auditTrail());
            }
            return out;
        }

        String describe() {
            List<String> files = new ArrayList<>();
            for (AuditTrail t : open()) {
                for (AuditTrail.Retention r : AuditTrail.Retention.values()) {
                    files.add(t.log(r).file().toString());
                }
            }
            return String.join(", ", files);
        }

        List<Event> read(PrintWriter err) throws GatekeeperException {
            java.time.Instant from = null;
            if (since != null) {
                try {
                    from = java.time.Instant.now().minus(Units.duration(since));
                } catch (IllegalArgumentException e) {
                    throw new GatekeeperException(ExitCode.USAGE, "--since: " + e.getMessage());
                }
            }
            List<Event> all = new ArrayList<>();
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (AuditTrail t : open()) {
                try {
                    EventLog.ReadResult r = t.readAll();
                    if (r.unreadable() > 0) {
                        err.println("gatekeeper: warning: " + r.unreadable() + " unreadable line(s) in " + t.file()
                                + " or beside it");
                    }
                    for (Event e : r.events()) {
                        if (ids.add(e.id())) { // two options naming one log read it once
                            all.add(e);
                        }
                    }
                } catch (IOException e) {
                    throw new GatekeeperException(ExitCode.USAGE, "cannot read " + t.file() + ": " + e.getMessage());
                }
            }
            all.sort(java.util.Comparator.comparing(Event::time));
            java.time.Instant cut = from;
            return cut == null ? all : all.stream().filter(e -> !e.time().isBefore(cut)).toList();
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the last events, oldest first.")
    static final class Tail implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin LogOptions where;
        @Option(names = {"-n", "--lines"}, defaultValue = "20", description = "how many (default: 20)")
        int lines;
        @Option(names = "--type", description = "only events whose type starts with this, e.g. push.refused")
        String type;
        @Option(names = "--json", description = "print the events as JSON lines")
        boolean json;

        @Override
        public Integer call() throws GatekeeperException {
            List<Event> events = where.read(spec.commandLine().getErr()).stream()
                    .filter(e -> type == null || e.type().startsWith(type)).toList();
            List<Event> last = events.subList(Math.max(0, events.size() - lines), events.size());
            PrintWriter out = spec.commandLine().getOut();
            for (Event e : last) {
                out.println(json ? EventJson.write(e) : Timeline.line(e));
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one event with every field.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin LogOptions where;
        @Parameters(paramLabel = "ID", description = "the event id (ev-…)")
        String id;

        @Override
        public Integer call() throws GatekeeperException {
            Optional<Event> e = where.read(spec.commandLine().getErr()).stream().filter(x -> x.id().equals(id))
                    .findFirst();
            if (e.isEmpty()) {
                throw new GatekeeperException(ExitCode.USAGE, "no event " + id + " in " + where.describe());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(Timeline.full(e.get()));
            out.flush(); // print() does not flush picocli's writer, and main() exits right after
            return ExitCode.OK.code();
        }
    }

    @Command(name = "incidents", mixinStandardHelpOptions = true,
            description = {"Group the events into incidents and measure them: a merge that broke the service and "
                    + "its revert, drift from found to resolved, refused pushes until break-glass. Each with its "
                    + "time to detect and time to recover and the event ids to look up.",
                "Give every log the story spans (e.g. the git server's and the CI clone's) to see it whole."})
    static final class IncidentsCommand implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin LogOptions where;
        @Option(names = "--json", description = "one JSON object per incident and line")
        boolean json;

        @Override
        public Integer call() throws GatekeeperException {
            List<Incident> incidents = Incidents.group(where.read(spec.commandLine().getErr()));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                incidents.forEach(i -> out.println(IncidentFormat.json(i)));
            } else if (incidents.isEmpty()) {
                out.println("no incidents");
            } else {
                out.print(IncidentFormat.text(incidents));
            }
            out.flush();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write one self-contained HTML page (no script, no external asset): the incidents with "
                    + "their time to detect and recover, a timeline of pushes, refusals, reverts and drift, and "
                    + "every event with its id.")
    static final class Report implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin LogOptions where;
        @Option(names = "--html", paramLabel = "FILE", required = true, description = "the page to write")
        Path html;

        @Override
        public Integer call() throws GatekeeperException {
            List<Event> events = where.read(spec.commandLine().getErr());
            List<String> sources = where.open().stream().map(l -> l.file().toString()).toList();
            String page = HtmlReport.render(events, Incidents.group(events), sources, java.time.Instant.now());
            try {
                AtomicFile.write(html, page.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new GatekeeperException(ExitCode.USAGE, "cannot write " + html + ": " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(html.toAbsolutePath().normalize());
            out.flush();
            return ExitCode.OK.code();
        }
    }
}
