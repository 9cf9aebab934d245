package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventJson;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.events.Timeline;
import dev.gatekeeper.gate.GateEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "events", mixinStandardHelpOptions = true, description = "Read the audit log as a timeline.",
        subcommands = {EventsCommand.Tail.class, EventsCommand.Show.class})
final class EventsCommand {

    /**
     * Where the log is: an explicit file, or the one the repository's policy names; either way with its security log
     * and ledger beside it (the gate keeps each event in one of the three), read as one timeline.
     */
    static final class LogOptions {
        @Option(names = "--git-dir", defaultValue = ".",
                description = "repository whose audit trail to read (default: .)")
        Path gitDir;
        @Option(names = "--log", description = "read this log file (and its .security/.ledger siblings) instead")
        Path log;

        AuditTrail open() {
            if (log != null) {
                AuditTrail.Budget b = new AuditTrail.Budget(GateEnvironment.DEFAULT_MAX_FILE,
                        GateEnvironment.DEFAULT_MAX_FILES);
                return new AuditTrail(log, b, b, b);
            }
            return GateEnvironment.load(gitDir.toAbsolutePath().normalize(), System.getenv()).auditTrail();
        }

        List<Event> read(PrintWriter err) throws GatekeeperException {
            AuditTrail t = open();
            try {
                EventLog.ReadResult r = t.readAll();
                if (r.unreadable() > 0) {
                    err.println("gatekeeper: warning: " + r.unreadable() + " unreadable line(s) in " + t.file()
                            + " or beside it");
                }
                return r.events();
            } catch (IOException e) {
                throw new GatekeeperException(ExitCode.USAGE, "cannot read " + t.file() + ": " + e.getMessage());
            }
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
                throw new GatekeeperException(ExitCode.USAGE, "no event " + id + " in " + where.open().file()
                        + " or beside it");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(Timeline.full(e.get()));
            out.flush(); // print() does not flush picocli's writer, and main() exits right after
            return ExitCode.OK.code();
        }
    }
}
