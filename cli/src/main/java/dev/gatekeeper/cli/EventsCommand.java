package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventJson;
import dev.gatekeeper.events.HtmlReport;
import dev.gatekeeper.events.Incident;
import dev.gatekeeper.events.IncidentFormat;
import dev.gatekeeper.events.Incidents;
import dev.gatekeeper.events.Timeline;
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
     * Where the logs are: explicit files and/or repositories (both repeatable; the events of several logs are merged
     * by time). With neither, the repository the current folder is in, found as git finds it. A repository's events
     * are its audit trail (with the security log and ledger beside it), what verify-push and stabilize wrote in its
     * git directory, and the drift scanner's events about it (see {@link EventSources}).
     */
    static final class LogOptions {
        @Option(names = "--git-dir", paramLabel = "DIR",
                description = "repository whose events to read: a git directory, a working clone, or a folder in "
                        + "one (repeatable; default: the repository of the current folder, when no --log)")
        List<Path> gitDirs = new ArrayList<>();
        @Option(names = "--log", paramLabel = "FILE",
                description = "read this log file and its .security/.ledger siblings (repeatable)")
        List<Path> logs = new ArrayList<>();
        @Option(names = "--drift-state", paramLabel = "FILE",
                description = "a drift scan's state file: its drift-events.jsonl about the repository is read "
                        + "(repeatable; default: ~/.local/state/gatekeeper/ and /var/lib/gatekeeper/, when there)")
        List<Path> driftStates = new ArrayList<>();
        @Option(names = "--since", paramLabel = "DURATION", description = "only events of the last DURATION, e.g. 7d")
        String since;

        List<EventSources.Source> open() throws GatekeeperException {
            return EventSources.open(gitDirs, logs, driftStates, System.getenv());
        }

        String describe() throws GatekeeperException {
            List<String> files = new ArrayList<>();
            for (EventSources.Source s : open()) {
                s.files().forEach(f -> files.add(f.toString()));
            }
            return String.join(", ", files);
        }

        java.time.Instant from() throws GatekeeperException {
            if (since == null) {
                return null;
            }
            try {
                return java.time.Instant.now().minus(Units.duration(since));
            } catch (IllegalArgumentException e) {
                throw new GatekeeperException(ExitCode.USAGE, "--since: " + e.getMessage());
            }
        }

        List<Event> read(PrintWriter err) throws GatekeeperException {
            return read(open(), err);
        }

        List<Event> read(List<EventSources.Source> sources, PrintWriter err) throws GatekeeperException {
            java.time.Instant cut = from();
            List<Event> all = EventSources.read(sources, err);
            return cut == null ? all : all.stream().filter(e -> !e.time().isBefore(cut)).toList();
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Print the last events, oldest first.",
                "With --follow, keep printing events as they are recorded (across log rotation), until interrupted."})
    static final class Tail implements Callable<Integer> {
        /** How often --follow looks at the logs: a stat of each file, a read only when one grew. */
        static final java.time.Duration POLL = java.time.Duration.ofMillis(250);

        @Spec CommandSpec spec;
        @Mixin LogOptions where;
        @Option(names = {"-n", "--lines"}, defaultValue = "20", description = "how many (default: 20)")
        int lines;
        @Option(names = "--type", description = "only events whose type starts with this, e.g. push.refused")
        String type;
        @Option(names = "--json", description = "print the events as JSON lines")
        boolean json;
        @Option(names = {"-f", "--follow"}, description = "then print new events as they are recorded")
        boolean follow;

        @Override
        public Integer call() throws GatekeeperException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<EventSources.Source> sources = where.open();
            // the followers start before the read, so that nothing recorded in between is missed (ids dedupe)
            List<dev.gatekeeper.events.LogFollower> followers = new ArrayList<>();
            if (follow) {
                for (EventSources.Source s : sources) {
                    try {
                        followers.add(new dev.gatekeeper.events.LogFollower(s.logs()));
                    } catch (IOException e) {
                        throw new GatekeeperException(ExitCode.USAGE, "cannot follow " + s.what() + ": "
                                + e.getMessage());
                    }
                }
            }
            List<Event> events;
            try {
                events = where.read(sources, err);
            } catch (GatekeeperException none) {
                if (!follow || none.exitCode() != ExitCode.INCONCLUSIVE) {
                    throw none;
                }
                err.println("gatekeeper: " + none.getMessage() + "; waiting for events");
                err.flush();
                events = List.of();
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            events.forEach(e -> seen.add(e.id()));
            List<Event> shown = events.stream().filter(this::wanted).toList();
            print(out, shown.subList(Math.max(0, shown.size() - lines), shown.size()));
            while (follow && !out.checkError()) { // a closed pipe (| head) ends it
                Thread.sleep(POLL.toMillis());
                List<Event> fresh = new ArrayList<>();
                for (int i = 0; i < sources.size(); i++) {
                    EventSources.Source s = sources.get(i);
                    List<Event> got = new ArrayList<>();
                    try {
                        for (String line : followers.get(i).poll()) {
                            try {
                                got.add(EventJson.read(line));
                            } catch (IOException unreadable) {
                                err.println("gatekeeper: warning: an unreadable line in " + s.what());
                            }
                        }
                    } catch (IOException e) {
                        err.println("gatekeeper: warning: cannot read " + s.what() + ": " + e.getMessage());
                    }
                    got.addAll(s.pending().get());
                    got.stream().filter(s.about()).forEach(fresh::add); // drift's events: only this repository's
                }
                List<Event> now = fresh.stream().filter(e -> seen.add(e.id())).filter(this::wanted)
                        .sorted(java.util.Comparator.comparing(Event::time)).toList();
                print(out, now);
                err.flush();
            }
            return ExitCode.OK.code();
        }

        private boolean wanted(Event e) {
            return type == null || e.type().startsWith(type);
        }

        private void print(PrintWriter out, List<Event> events) {
            for (Event e : events) {
                out.println(json ? EventJson.write(e) : Timeline.line(e));
            }
            out.flush();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one event with every field.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin LogOptions where;
        @Parameters(paramLabel = "ID", description = "the event id (ev-…)")
        String id;
        @Option(names = "--json", description = "print the event as one JSON object (as the log keeps it)")
        boolean json;

        @Override
        public Integer call() throws GatekeeperException {
            Optional<Event> e = where.read(spec.commandLine().getErr()).stream().filter(x -> x.id().equals(id))
                    .findFirst();
            if (e.isEmpty()) {
                throw new GatekeeperException(ExitCode.USAGE, "no event " + id + " in " + where.describe());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? EventJson.write(e.get()) + System.lineSeparator() : Timeline.full(e.get()));
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
            List<String> sources = where.open().stream().map(EventSources.Source::what).toList();
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
