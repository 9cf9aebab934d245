package dev.gatekeeper.watch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gatekeeper.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code gatekeeper watch} remembers between runs, per job: since when it expects the job (for "never ran"),
 * and which problem people were last told about and when (new alert, daily reminder, resolved).
 *
 * @param expectedSince ISO-8601; the first run of watch that listed the job
 * @param told          the problem status last alerted ({@link JobHealth.Status} name), null when none
 * @param toldAt        when (ISO-8601)
 */
public record WatchState(int version, Map<String, JobState> jobs) {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public WatchState {
        jobs = jobs == null ? new TreeMap<>() : new TreeMap<>(jobs);
    }

    public record JobState(String expectedSince, String told, String toldAt) {}

    static WatchState read(Path file) throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(file), WatchState.class);
        } catch (NoSuchFileException e) {
            return new WatchState(VERSION, Map.of());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("the watch state " + file + " is not readable (" + e.getOriginalMessage()
                    + "); move it away to start afresh", e);
        }
    }

    static void write(Path file, WatchState s) throws IOException {
        AtomicFile.write(file, JSON.writeValueAsBytes(s));
    }
}
