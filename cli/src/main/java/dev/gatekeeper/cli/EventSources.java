package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.drift.TargetSpecs;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.gate.LandingNote;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Where {@code gatekeeper events} reads, so that one command shows everything recorded about a repository:
 * <ul>
 *   <li>the repository's audit trail as the gate resolves it ({@code $GATEKEEPER_AUDIT_LOG}, else the policy's
 *       {@code audit.log}, else {@code $GIT_DIR/gatekeeper/events.jsonl}) with its security log, ledger and the
 *       landings not yet folded in;</li>
 *   <li>{@code $GIT_DIR/gatekeeper/events.jsonl} (and its siblings) when that is another file: where verify-push and
 *       stabilize write in a working clone, whatever a policy names;</li>
 *   <li>the drift scanner's {@code drift-events.jsonl} beside each drift state (the user's default, the packaged
 *       service's {@code /var/lib/gatekeeper}, or {@code --drift-state}), only its events about this repository
 *       (found, alerted, resolved, healed).</li>
 * </ul>
 * A repository is found as git finds it: the folder given (or the current one) or the nearest parent that is a git
 * directory or holds {@code .git}; a linked work tree reads its main repository's logs.
 */
final class EventSources {
    /** The drift scan service's state folder in the distribution's systemd unit (StateDirectory=gatekeeper). */
    static final Path SERVICE_DRIFT_STATE = Path.of("/var/lib/gatekeeper/drift-state.json");
    static final String DRIFT_EVENTS = "drift-events.jsonl";

    /** Logs read together, the events of theirs that count, and the landings recorded beside them. */
    record Source(String what, List<EventLog> logs, Supplier<List<Event>> pending, Predicate<Event> about,
            boolean counts) {
        /** Whether anything was ever recorded here (a file of any of its logs, or a landing). */
        boolean exists() {
            return logs.stream().anyMatch(l -> !l.files().isEmpty()) || !pending.get().isEmpty();
        }

        List<Path> files() {
            return logs.stream().map(EventLog::file).toList();
        }
    }

    private EventSources() {}

    /**
     * @param repositories folders inside repositories (work trees, git directories, or below them)
     * @param logs         explicit event log files (each with its .security/.ledger siblings)
     * @param driftStates  drift state files whose drift-events.jsonl to read; empty for the default ones
     */
    static List<Source> open(List<Path> repositories, List<Path> logs, List<Path> driftStates,
            Map<String, String> env) throws GatekeeperException {
        List<Source> out = new ArrayList<>();
        AuditTrail.Budget b = new AuditTrail.Budget(GateEnvironment.DEFAULT_MAX_FILE, GateEnvironment.DEFAULT_MAX_FILES);
        for (Path l : logs) {
            AuditTrail t = new AuditTrail(l.toAbsolutePath().normalize(), b, b, b);
            out.add(new Source(l.toString(), trailLogs(t), List::of, e -> true, true));
        }
        List<Path> dirs = repositories.isEmpty() && logs.isEmpty() ? List.of(Path.of("")) : repositories;
        for (Path d : dirs) {
            Repo r = repository(d, repositories.isEmpty());
            AuditTrail trail = GateEnvironment.load(r.gitDir(), env).auditTrail();
            out.add(new Source(r.gitDir().toString(), trailLogs(trail), () -> LandingNote.pending(r.gitDir()),
                    e -> true, true));
            Path own = PolicyLocator.repoDir(r.gitDir()).resolve("events.jsonl");
            if (!own.equals(trail.file().toAbsolutePath().normalize())) {
                out.add(new Source(own.toString(), trailLogs(new AuditTrail(own, b, b, b)), List::of, e -> true,
                        true));
            }
            for (Path state : driftStates.isEmpty() ? defaultDriftStates(env) : driftStates) {
                Path f = state.toAbsolutePath().normalize().resolveSibling(DRIFT_EVENTS);
                if (driftStates.isEmpty() && !Files.isReadable(f)) {
                    continue; // a default that is not there (or another account's): nothing to say about it
                }
                out.add(new Source(f.toString(), List.of(new EventLog(f, GateEnvironment.DEFAULT_MAX_FILE,
                        GateEnvironment.DEFAULT_MAX_FILES)), List::of, r::about, !driftStates.isEmpty()));
            }
        }
        return dedupe(out);
    }

    private static List<EventLog> trailLogs(AuditTrail t) {
        List<EventLog> l = new ArrayList<>();
        for (AuditTrail.Retention r : AuditTrail.Retention.values()) {
            l.add(t.log(r));
        }
        return l;
    }

    /** Two options naming one file read it once. */
    private static List<Source> dedupe(List<Source> sources) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Source> out = new ArrayList<>();
        for (Source s : sources) {
            List<EventLog> fresh = s.logs().stream().filter(l -> seen.add(l.file().toAbsolutePath().normalize()))
                    .toList();
            if (!fresh.isEmpty()) {
                out.add(new Source(s.what(), fresh, s.pending(), s.about(), s.counts()));
            }
        }
        return out;
    }

    static List<Path> defaultDriftStates(Map<String, String> env) {
        Set<Path> s = new LinkedHashSet<>();
        s.add(TargetSpecs.defaultStateFile(env).toAbsolutePath().normalize());
        s.add(SERVICE_DRIFT_STATE);
        return List.copyOf(s);
    }

    /** A repository: its (common) git directory and its work tree, if any. */
    record Repo(Path gitDir, Optional<Path> workTree) {
        /** Whether a drift event is about this repository (its target is the work tree or the git directory). */
        boolean about(Event e) {
            Set<Path> mine = new LinkedHashSet<>();
            mine.add(real(gitDir));
            workTree.ifPresent(w -> mine.add(real(w)));
            for (String s : new String[] {e.repository(), e.details().get("location")}) {
                if (s == null) {
                    continue;
                }
                String p = s.replaceFirst("^(checkout|bare):", "");
                int at = p.lastIndexOf('@');
                for (String candidate : at > 0 ? new String[] {p, p.substring(0, at)} : new String[] {p}) {
                    try {
                        if (mine.contains(real(Path.of(candidate)))) {
                            return true;
                        }
                    } catch (RuntimeException notAPath) {
                        // a GitHub target (owner/repo) or a name: not this repository's
                    }
                }
            }
            return false;
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * The repository at or above {@code dir}, as git finds it.
     *
     * @param implicit the current folder, not a folder the user named (for the message)
     * @throws GatekeeperException USAGE when there is none
     */
    static Repo repository(Path dir, boolean implicit) throws GatekeeperException {
        Path start = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(start)) {
            throw new GatekeeperException(ExitCode.USAGE, "no such folder: " + dir);
        }
        FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(start.toFile());
        if (b.getGitDir() == null) {
            throw new GatekeeperException(ExitCode.USAGE, (implicit ? "not in a git repository (" + start + ")"
                    : "not a git repository: " + dir) + ": give --git-dir REPO or --log FILE");
        }
        try (Repository r = b.setMustExist(true).build()) {
            Path common = r.getCommonDirectory().toPath().toAbsolutePath().normalize();
            Optional<Path> work = r.isBare() ? Optional.empty()
                    : Optional.of(r.getWorkTree().toPath().toAbsolutePath().normalize());
            return new Repo(common, work);
        } catch (IOException | IllegalArgumentException e) {
            // found but not openable for us (another account's config): its logs may still be readable
            return new Repo(b.getGitDir().toPath().toAbsolutePath().normalize(), Optional.empty());
        }
    }

    /**
     * Every event of the sources (each id once, ordered by time); warns on stderr about unreadable lines.
     *
     * @throws GatekeeperException INCONCLUSIVE when no log exists anywhere it looked (nothing recorded yet, or the
     *     events are elsewhere): an empty answer would look like "nothing happened"
     */
    static List<Event> read(List<Source> sources, java.io.PrintWriter err) throws GatekeeperException {
        Map<String, Event> byId = new LinkedHashMap<>();
        for (Source s : sources) {
            int bad = 0;
            List<Event> events = new ArrayList<>();
            for (EventLog l : s.logs()) {
                try {
                    EventLog.ReadResult r = l.readAll();
                    events.addAll(r.events());
                    bad += r.unreadable();
                } catch (IOException e) {
                    throw new GatekeeperException(ExitCode.USAGE, "cannot read " + l.file() + ": " + e.getMessage());
                }
            }
            events.addAll(s.pending().get());
            if (bad > 0) {
                err.println("gatekeeper: warning: " + bad + " unreadable line(s) in " + s.logs().get(0).file()
                        + (s.logs().size() > 1 ? " or beside it" : ""));
            }
            for (Event e : events) {
                if (s.about().test(e)) {
                    byId.putIfAbsent(e.id(), e); // a landing folded while we read is in a log and still pending
                }
            }
        }
        List<Event> all = new ArrayList<>(byId.values());
        all.sort(java.util.Comparator.comparing(Event::time));
        if (all.isEmpty()) {
            requireSome(sources);
        }
        return all;
    }

    /** @throws GatekeeperException INCONCLUSIVE naming every place looked at, when none has a log */
    private static void requireSome(List<Source> sources) throws GatekeeperException {
        if (sources.stream().anyMatch(s -> s.counts() && s.exists())) {
            return;
        }
        List<String> looked = new ArrayList<>();
        for (Source s : sources) {
            if (s.counts()) {
                looked.add(s.logs().get(0).file().toString());
            }
        }
        throw new GatekeeperException(ExitCode.INCONCLUSIVE, "no audit log found (looked for " + String.join(", ",
                looked) + " and the logs beside them): nothing has been recorded there yet, or the events are "
                + "elsewhere (--git-dir REPO, --log FILE)");
    }
}
