package dev.gatekeeper.stabilize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code .lock} files a killed run can leave beside the refs stabilize writes (the remote-tracking branch, its
 * {@code refs/gatekeeper/reverts/<sha>} record, {@code packed-refs}). Git and JGit take such a lock only for the ref
 * transaction at the end of a command, a few milliseconds; while the file exists every later fetch, record or
 * push of that ref fails ("Unable to create '….lock': File exists"), so one SIGKILL would block every later run.
 *
 * <p>A lock younger than {@link #STALE_AFTER} is waited for (a live git finishes with it); an older one is
 * stale: it is moved aside, never deleted, to {@code <git-dir>/gatekeeper/stale-locks/} (its content is the ref
 * value the killed transaction was about to write), and the caller says so.
 */
final class StaleLocks {
    /** A ref lock held this long belongs to no live transaction. */
    static final Duration STALE_AFTER = Duration.ofSeconds(5);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS")
            .withZone(ZoneOffset.UTC);

    private StaleLocks() {}

    /**
     * Clears stale locks of {@code refs} (full ref names, or {@code packed-refs}) in {@code gitDir}; returns one
     * line per lock moved aside.
     */
    static List<String> clear(Path gitDir, List<String> refs) throws IOException, InterruptedException {
        List<String> moved = new ArrayList<>();
        for (String ref : refs) {
            Path lock = gitDir.resolve(ref + ".lock");
            while (true) {
                Instant modified;
                try {
                    modified = Files.getLastModifiedTime(lock).toInstant();
                } catch (NoSuchFileException e) {
                    break;
                }
                Duration age = Duration.between(modified, Instant.now());
                if (age.compareTo(STALE_AFTER) < 0) {
                    Thread.sleep(Math.min(200, STALE_AFTER.minus(age).toMillis() + 1));
                    continue;
                }
                Path aside = gitDir.resolve("gatekeeper/stale-locks/" + STAMP.format(Instant.now()) + "-"
                        + ref.replace('/', '%') + ".lock");
                Files.createDirectories(aside.getParent());
                try {
                    Files.move(lock, aside);
                } catch (NoSuchFileException e) {
                    break; // its owner finished after all
                }
                moved.add("moved a stale lock aside (" + age.toSeconds() + " s old, left by a killed git or run): "
                        + lock + " -> " + aside);
            }
        }
        return moved;
    }
}
