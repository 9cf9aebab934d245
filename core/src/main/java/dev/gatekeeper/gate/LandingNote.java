package dev.gatekeeper.gate;

import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventJson;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What pre-receive leaves for post-receive, so that recording what landed starts no JVM: the push's landed events,
 * already judged (the ref git writes, through any symbolic ref, and its rule), bounded ({@link PushAudit}) and
 * written as JSON lines, beside the exact hook input they are for.
 *
 * <p>The files, in {@code $GIT_DIR/gatekeeper/landing/} (where a push cannot write), named by {@link #key}, the POSIX
 * {@code cksum} of the input, so that the post-receive shell script can name them too:
 * <ul>
 *   <li>{@code K-R.input}: the input, byte for byte; {@code K-R.note}: the events (written last, by a rename);</li>
 *   <li>post-receive's script (see {@code HookScript}) compares its input with the one {@code K-*.input} ({@code
 *       cmp}) and renames the note to {@code K-R.landed}: the landing is recorded, in one rename, before git answers
 *       the pusher. git feeds post-receive exactly the lines it fed pre-receive when every update landed; when some
 *       did not (a lost ref lock), or two identical pushes left notes, the script finds no single matching note and
 *       runs the recorder the long way ({@link PostReceiveCommand}): the note is a shortcut, never the authority;</li>
 *   <li>landed notes are part of the audit trail as they are ({@link #pending}); the next pre-receive folds them into
 *       the logs with its own append ({@link #claimLanded}), claiming each by a rename to {@code .folding-*} first, so
 *       that two pushes never fold one twice (a fold that died is taken up again after {@link #STALE_FOLD}; readers
 *       drop the duplicate by event id);</li>
 *   <li>a note no post-receive took (every update failed) is removed after {@link #STALE}.</li>
 * </ul>
 * A landed event's time is when the note was renamed (its ctime), i.e. when post-receive ran.
 */
public final class LandingNote {
    static final String DIR = "landing";
    static final Duration STALE = Duration.ofHours(1);
    static final Duration STALE_FOLD = Duration.ofMinutes(5);
    static final String NOTE = ".note";
    static final String INPUT = ".input";
    static final String LANDED = ".landed";
    static final String FOLDING = ".folding-";
    private static final String VERSION = "v3";

    /** A note read: the trail it goes to and its lines per log, each with the time it landed. */
    record Note(AuditTrail trail, Map<AuditTrail.Retention, List<String>> lines) {}

    /** Landed notes claimed for folding: their lines per trail, and the files to remove once they are written. */
    record Claimed(List<Note> notes, List<Path> files) {}

    private LandingNote() {}

    public static Path dir(Path gitDir) {
        return PolicyLocator.repoDir(gitDir).resolve(DIR);
    }

    /** Leaves a note for this input (best effort: without one, post-receive takes the long way). */
    static void leave(Path gitDir, byte[] input, AuditTrail trail, List<Event> events, Instant now) {
        try {
            Path dir = Files.createDirectories(dir(gitDir));
            removeStale(dir, now);
            StringBuilder w = new StringBuilder(300 * (events.size() + 1));
            w.append(VERSION).append('\t').append(trail.file());
            for (AuditTrail.Retention r : List.of(AuditTrail.Retention.ORDINARY, AuditTrail.Retention.SECURITY,
                    AuditTrail.Retention.LEDGER)) {
                w.append('\t').append(trail.budget(r).maxFileBytes()).append('\t').append(trail.budget(r).maxFiles());
            }
            w.append('\n');
            for (Event e : events) {
                w.append(AuditTrail.retentionOf(e) == AuditTrail.Retention.LEDGER ? "L " : "O ")
                        .append(EventJson.write(e)).append('\n');
            }
            String base = key(input) + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Files.write(dir.resolve(base + INPUT), input);
            Path tmp = dir.resolve("." + base + ".tmp");
            Files.writeString(tmp, w, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(base + NOTE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException ignored) {
            // no note: post-receive judges the landing itself
        }
    }

    /**
     * The JVM's own fast path (post-receive's script could not rename the note): takes the one note for exactly this
     * input; removes every note for this input either way (a second one is an identical push whose updates cannot
     * also have landed).
     */
    static Optional<Note> take(Path gitDir, byte[] input, Instant now) {
        Path dir = dir(gitDir);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> found = new ArrayList<>(1);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, key(input) + "-*" + NOTE)) {
            for (Path p : s) {
                found.add(p);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Optional<Note> note = Optional.empty();
        if (found.size() == 1 && sameInput(sibling(found.get(0), INPUT), input)) {
            note = read(found.get(0), now.toString());
        }
        for (Path p : found) {
            deleteQuietly(p);
            deleteQuietly(sibling(p, INPUT));
        }
        return note;
    }

    /**
     * Claims every landed note (and every fold that died more than {@link #STALE_FOLD} ago) for folding into the
     * logs: each is first renamed to a {@code .folding-*} name of this caller's, so no other push folds it too.
     */
    static Claimed claimLanded(Path gitDir, Instant now) {
        Path dir = dir(gitDir);
        List<Note> notes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Claimed(notes, files);
        }
        String mine = FOLDING + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                boolean landed = name.endsWith(LANDED);
                boolean died = name.contains(FOLDING) && changed(p).isBefore(now.minus(STALE_FOLD));
                if (!landed && !died) {
                    continue;
                }
                String base = name.substring(0, landed ? name.length() - LANDED.length() : name.indexOf(FOLDING));
                Instant time = landedAt(p);
                Path claimed = dir.resolve(base + mine);
                try {
                    // the landing time travels with the claimed file as its content time (a rename keeps it)
                    Files.setLastModifiedTime(p, FileTime.from(time));
                    Files.move(p, claimed, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException taken) {
                    continue; // another push claimed it first
                }
                files.add(claimed);
                files.add(dir.resolve(base + INPUT));
                read(claimed, time.toString()).ifPresent(notes::add);
            }
        } catch (IOException ignored) {
            // nothing to fold now; the next push tries again, and readers see the notes meanwhile
        }
        return new Claimed(notes, files);
    }

    /** Removes what was folded, once it is in the logs. */
    static void remove(List<Path> files) {
        files.forEach(LandingNote::deleteQuietly);
    }

    /** Landings recorded but not yet folded into the logs: part of the audit trail as they are. */
    public static List<Event> pending(Path gitDir) {
        Path dir = dir(gitDir);
        List<Event> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!name.endsWith(LANDED) && !name.contains(FOLDING)) {
                    continue;
                }
                Optional<Note> n = read(p, landedAt(p).toString());
                if (n.isPresent()) {
                    for (List<String> lines : n.get().lines().values()) {
                        for (String l : lines) {
                            try {
                                out.add(EventJson.read(l));
                            } catch (IOException unreadable) {
                                // a torn note is no landing
                            }
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // as if none were pending
        }
        return out;
    }

    private static Optional<Note> read(Path file, String time) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] head = String.valueOf(r.readLine()).split("\t");
            if (head.length != 8 || !VERSION.equals(head[0])) {
                return Optional.empty();
            }
            AuditTrail.Budget[] b = new AuditTrail.Budget[3];
            for (int i = 0; i < 3; i++) {
                b[i] = new AuditTrail.Budget(Long.parseLong(head[2 + 2 * i]), Integer.parseInt(head[3 + 2 * i]));
            }
            AuditTrail trail = new AuditTrail(Path.of(head[1]), b[0], b[1], b[2]);
            Map<AuditTrail.Retention, List<String>> lines = new EnumMap<>(AuditTrail.Retention.class);
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("L ") && !line.startsWith("O ")) {
                    return Optional.empty();
                }
                AuditTrail.Retention where = line.charAt(0) == 'L' ? AuditTrail.Retention.LEDGER
                        : AuditTrail.Retention.ORDINARY;
                lines.computeIfAbsent(where, k -> new ArrayList<>()).add(withTime(line.substring(2), time));
            }
            return lines.isEmpty() ? Optional.empty() : Optional.of(new Note(trail, lines));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final String TIME_FIELD = "\"time\":\"";

    /** The event line with {@code time} as its time ({@link EventJson#write} puts it second, after the id). */
    static String withTime(String json, String time) {
        int at = json.indexOf(TIME_FIELD);
        int end = at < 0 ? -1 : json.indexOf('"', at + TIME_FIELD.length());
        if (at < 0 || end < 0) {
            throw new IllegalArgumentException("no time in the prepared event");
        }
        return json.substring(0, at + TIME_FIELD.length()) + time + json.substring(end);
    }

    /**
     * When a note landed: for {@code .landed}, when post-receive renamed it (its status-change time: a rename sets
     * it, the content time stays that of pre-receive); for a claimed {@code .folding-*} note, the content time the
     * claim set to it.
     */
    private static Instant landedAt(Path p) {
        return p.getFileName().toString().endsWith(LANDED) ? changed(p) : modified(p);
    }

    private static Instant changed(Path p) {
        try {
            return ((FileTime) Files.getAttribute(p, "unix:ctime")).toInstant();
        } catch (IOException | RuntimeException e) {
            return modified(p);
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static boolean sameInput(Path file, byte[] input) {
        try {
            return Files.size(file) == input.length && Arrays.equals(Files.readAllBytes(file), input);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path sibling(Path note, String suffix) {
        String name = note.getFileName().toString();
        return note.resolveSibling(name.substring(0, name.lastIndexOf('.')) + suffix);
    }

    private static void removeStale(Path dir, Instant now) {
        Instant before = now.minus(STALE);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if ((name.endsWith(NOTE) || name.endsWith(INPUT) || name.endsWith(".tmp"))
                        && modified(p).isBefore(before)) {
                    deleteQuietly(p);
                }
            }
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException gone) {
            // removed meanwhile
        } catch (IOException ignored) {
            // a later push removes it as stale
        }
    }

    /** POSIX {@code cksum}'s CRC (polynomial 0x04C11DB7, most significant bit first, the length appended). */
    private static final int[] TABLE = table();

    private static int[] table() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            t[i] = c;
        }
        return t;
    }

    /**
     * The name of a note for an input: {@code CRC-LENGTH} as POSIX {@code cksum} prints them, so that the post-receive
     * script names it with one {@code cksum}. Only a bucket: a note counts only for the input it holds byte for
     * byte, so a collision (even a crafted one) costs the long way, never a wrong record.
     */
    public static String key(byte[] input) {
        int crc = 0;
        for (byte b : input) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xff];
        }
        for (long n = input.length; n != 0; n >>>= 8) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ (int) n) & 0xff];
        }
        return Integer.toUnsignedString(~crc) + "-" + input.length;
    }
}
