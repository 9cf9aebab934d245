package dev.gatekeeper.watch;

import dev.gatekeeper.io.AtomicFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The heartbeat store: a folder with one {@code <job>.json} per scheduled job ({@link JobRecord}), written by the
 * jobs themselves (start, end, exit code, findings) and read by {@code gatekeeper watch}. Every change is a
 * read-modify-write under the job's lock and an atomic replace, so overlapping runs lose nothing and a reader never
 * sees half a file.
 */
public final class Heartbeats {
    /** Job names are file names and Prometheus label values: short, no slashes, no spaces. */
    public static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final String ENV_DIR = "GATEKEEPER_HEARTBEAT_DIR";

    private final Path dir;

    public Heartbeats(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** {@code $GATEKEEPER_HEARTBEAT_DIR}, else {@code $XDG_STATE_HOME/gatekeeper/heartbeats}, else ~/.local/state/…. */
    public static Path defaultDir(Map<String, String> env) {
        String explicit = env.get(ENV_DIR);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return base.resolve("gatekeeper").resolve("heartbeats");
    }

    /** @throws IllegalArgumentException naming the allowed form */
    public static String checkJobName(String job) {
        if (job == null || !JOB_NAME.matcher(job).matches()) {
            throw new IllegalArgumentException("job name '" + job + "': letters, digits, '.', '_' and '-', at most "
                    + "64, starting with a letter or digit");
        }
        return job;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String job) {
        return dir.resolve(checkJobName(job) + ".json");
    }

    /** The job's record, or null when it never ran. @throws IOException when the file is damaged */
    public JobRecord read(String job) throws IOException {
        Path f = file(job);
        try {
            return JobRecord.fromJson(Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    /** Every job with a record: its record, or the reason it cannot be read. */
    public Map<String, Object> readAll() throws IOException {
        Map<String, Object> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                String job = name.substring(0, name.length() - ".json".length());
                if (!JOB_NAME.matcher(job).matches()) {
                    continue;
                }
                try {
                    out.put(job, read(job));
                } catch (IOException e) {
                    out.put(job, e.getMessage());
                }
            }
        }
        return out;
    }

    /** Records that a run of {@code job} started. */
    public JobRecord started(String job, java.time.Instant at, long pid) throws IOException {
        return update(job, r -> r.withStart(at, pid));
    }

    /**
     * Read-modify-write of one job's record under its lock. A damaged record is replaced (its job would
     * otherwise never be recorded again); the damage was visible to {@code watch} until then.
     */
    public JobRecord update(String job, UnaryOperator<JobRecord> change) throws IOException {
        Path f = file(job);
        return AtomicFile.locked(f, () -> {
            JobRecord before;
            try {
                before = read(job);
            } catch (IOException damaged) {
                before = null;
            }
            JobRecord next = change.apply(before == null ? JobRecord.empty(job) : before);
            AtomicFile.write(f, next.toJson());
            return next;
        });
    }
}
