package dev.gatekeeper.drift;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the scanner remembers between runs, per target id: the fingerprint of what it saw (incremental scans),
 * the findings, and which findings people were told about and when (alerts: new, daily reminder, resolved).
 *
 * <p>Runs may overlap (a slow hourly run, shards sharing the file): {@link #update} re-reads the file under an
 * exclusive lock, lets the caller change only its own targets and writes a temporary file renamed over the old
 * one, so a reader never sees half a file and no run loses another's targets.
 */
public record DriftState(int version, Map<String, TargetState> targets) {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public DriftState {
        targets = targets == null ? new TreeMap<>() : new TreeMap<>(targets);
    }

    /**
     * @param alerted     keys of the findings people were last told about
     * @param alertedAt   when (ISO-8601), null when never
     */
    public record TargetState(String fingerprint, List<Finding> findings, String error, List<String> alerted,
            String alertedAt) {
        public TargetState {
            findings = findings == null ? List.of() : List.copyOf(findings);
            alerted = alerted == null ? List.of() : List.copyOf(alerted);
        }
    }

    static DriftState empty() {
        return new DriftState(VERSION, Map.of());
    }

    static DriftState read(Path file) throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(file), DriftState.class);
        } catch (NoSuchFileException e) {
            return empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("the state file " + file + " is not readable (" + e.getOriginalMessage()
                    + "); move it away to start afresh", e);
        }
    }

    /** Read-modify-write under the lock; returns what was written. */
    static synchronized DriftState update(Path file, UnaryOperator<DriftState> change) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path lock = abs.resolveSibling(abs.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            DriftState next = change.apply(read(abs));
            Path tmp = abs.resolveSibling(abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(next)));
                out.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return next;
        }
    }
}
