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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What pre-receive leaves for post-receive: the push's landed events, already judged (the ref git writes, through
 * any symbolic ref, and its rule), bounded ({@link PushAudit}) and written as JSON lines, and where the audit trail
 * is. With it, post-receive records what landed with one append per file, without loading the policy, the YAML
 * parser or a JSON library again (measured: the recorder cost as much as the gate itself, 67-74 ms a push, when it
 * judged everything again; see bench/README.md).
 *
 * <p>A note is named by a hash of the hook input and holds the input itself: git feeds post-receive exactly the
 * lines it fed pre-receive when every update landed. When some did not (a lost ref lock), or two pushes left notes
 * for identical input, the recorder finds no single matching note and takes the long way (policy and all): the note
 * is a shortcut, never the authority. Notes sit in {@code $GIT_DIR/gatekeeper/landing/}, where a push cannot write;
 * one that no post-receive took (every update failed) is removed after {@link #STALE} by a later push.
 *
 * <p>The format, one record a line: {@code v2 TAB trail-file TAB six budget numbers}, then {@code I <input line>}
 * for each input line, then {@code O|L <event JSON>} for each event and the log it goes to.
 */
final class LandingNote {
    static final String DIR = "landing";
    static final Duration STALE = Duration.ofHours(1);
    private static final String VERSION = "v2";
    private static final String TIME_FIELD = "\"time\":\"";

    /** A note taken: the trail to write to and the prepared lines per log. */
    record Note(AuditTrail trail, Map<AuditTrail.Retention, List<String>> lines, int events) {}

    private LandingNote() {}

    static Path dir(Path gitDir) {
        return PolicyLocator.repoDir(gitDir).resolve(DIR);
    }

    /** Leaves a note for this input (best effort: without one, post-receive takes the long way). */
    static void leave(Path gitDir, List<String> inputLines, byte[] input, AuditTrail trail, List<Event> events,
                      Instant now) {
        try {
            Path dir = Files.createDirectories(dir(gitDir));
            removeStale(dir, now);
            StringBuilder w = new StringBuilder(300 * (events.size() + inputLines.size() + 1));
            w.append(VERSION).append('\t').append(trail.file());
            for (AuditTrail.Retention r : List.of(AuditTrail.Retention.ORDINARY, AuditTrail.Retention.SECURITY,
                    AuditTrail.Retention.LEDGER)) {
                w.append('\t').append(trail.budget(r).maxFileBytes()).append('\t').append(trail.budget(r).maxFiles());
            }
            w.append('\n');
            for (String l : inputLines) {
                w.append("I ").append(l).append('\n');
            }
            for (Event e : events) {
                w.append(AuditTrail.retentionOf(e) == AuditTrail.Retention.LEDGER ? "L " : "O ")
                        .append(EventJson.write(e)).append('\n');
            }
            String name = key(input) + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path tmp = dir.resolve("." + name + ".tmp");
            Files.writeString(tmp, w, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name + ".note"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException ignored) {
            // no note: post-receive judges the landing itself
        }
    }

    /**
     * Takes the one note this input left, if there is exactly one and it records exactly this input; removes every
     * note for this input either way (a second one is an identical push whose updates cannot also have landed).
     * The events get the time they landed.
     */
    static Optional<Note> take(Path gitDir, byte[] input, List<String> inputLines, Instant now) {
        Path dir = dir(gitDir);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> found = new ArrayList<>(1);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, key(input) + "-*.note")) {
            for (Path p : s) {
                found.add(p);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Optional<Note> note = found.size() == 1 ? read(found.get(0), inputLines, now.toString()) : Optional.empty();
        for (Path p : found) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a later push removes it as stale
            }
        }
        return note;
    }

    private static Optional<Note> read(Path file, List<String> inputLines, String time) {
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
            int inputSeen = 0;
            int events = 0;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("I ")) {
                    if (inputSeen >= inputLines.size() || !line.substring(2).equals(inputLines.get(inputSeen))) {
                        return Optional.empty(); // another input in the same bucket
                    }
                    inputSeen++;
                } else if (line.startsWith("L ") || line.startsWith("O ")) {
                    AuditTrail.Retention where = line.charAt(0) == 'L' ? AuditTrail.Retention.LEDGER
                            : AuditTrail.Retention.ORDINARY;
                    lines.computeIfAbsent(where, k -> new ArrayList<>()).add(landedAt(line.substring(2), time));
                    events++;
                } else {
                    return Optional.empty();
                }
            }
            return inputSeen == inputLines.size() && events > 0 ? Optional.of(new Note(trail, lines, events))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The event line with {@code time} as its time ({@link EventJson#write} puts it second, after the id). */
    static String landedAt(String json, String time) {
        int at = json.indexOf(TIME_FIELD);
        int end = at < 0 ? -1 : json.indexOf('"', at + TIME_FIELD.length());
        if (at < 0 || end < 0) {
            throw new IllegalArgumentException("no time in the prepared event");
        }
        return json.substring(0, at + TIME_FIELD.length()) + time + json.substring(end);
    }

    private static void removeStale(Path dir, Instant now) {
        Instant before = now.minus(STALE);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException ignored) {
                    // another push removed it
                }
            }
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    /**
     * The note's name for an input: FNV-1a (64 bits) and the length. Only a bucket: a note is taken only when the
     * input it records is this input line for line, so a collision (even a crafted one) costs the long way, never a
     * wrong record. Why not SHA-256: asking the JCA for a digest costs a hook 10-25 ms of provider start-up here.
     */
    static String key(byte[] input) {
        long h = 0xcbf29ce484222325L;
        for (byte x : input) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return Long.toHexString(h) + "-" + input.length;
    }
}
