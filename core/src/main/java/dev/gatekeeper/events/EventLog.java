package dev.gatekeeper.events;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The audit log: one JSON event per line, appended under an exclusive file lock so concurrent pushes (separate
 * processes) and threads never interleave or lose lines. Rotated by size: {@code events.jsonl} becomes
 * {@code events.jsonl.1}, and so on, keeping at most {@code maxFiles} rotated files, so the log never takes more
 * than {@code maxFileBytes * (maxFiles + 1)} bytes: a full disk is an outage.
 */
public final class EventLog {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final long maxFileBytes;
    private final int maxFiles;

    public EventLog(Path file, long maxFileBytes, int maxFiles) {
        this.file = file.toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
    }

    public Path file() {
        return file;
    }

    /** Appends one event durably (fsync), rotating first if the line would overflow the current file. */
    public void append(Event event) throws IOException {
        appendAll(List.of(event));
    }

    /**
     * Appends events as one write under one lock with one fsync, rotating first if they would overflow the current
     * file. One fsync per batch, not per event: fsync is most of an append's cost (an 8,000-ref push took ~20 s
     * with one per event), and a batch is one decision (a push) that is kept or lost whole.
     */
    public void appendAll(List<Event> events) throws IOException {
        List<String> lines = new ArrayList<>(events.size());
        for (Event e : events) {
            lines.add(EventJson.write(e));
        }
        appendLines(lines);
    }

    /**
     * {@link #appendAll} of events already written as JSON lines ({@link EventJson#write}), for a caller that keeps
     * them as text (the post-receive recorder appends what pre-receive prepared without loading a JSON library).
     */
    public void appendLines(List<String> jsonLines) throws IOException {
        if (jsonLines.isEmpty()) {
            return;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream(256 * jsonLines.size());
        for (String l : jsonLines) {
            lines.writeBytes((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] line = lines.toByteArray();
        Files.createDirectories(file.getParent());
        // FileLock is per process; threads of one process would get OverlappingFileLockException without this.
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, p -> new ReentrantLock());
        local.lock();
        try (FileChannel lockChannel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            long size = Files.exists(file) ? Files.size(file) : 0;
            byte[] bytes = line;
            if (size > 0 && !endsWithNewline(size)) {
                // a writer died mid-line: start a new line, or this event would be glued to the torn one and lost
                bytes = new byte[line.length + 1];
                bytes[0] = '\n';
                System.arraycopy(line, 0, bytes, 1, line.length);
            }
            if (size > 0 && size + bytes.length > maxFileBytes) {
                rotate();
                bytes = line;
            }
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                out.force(false);
            }
        } finally {
            local.unlock();
        }
    }

    private boolean endsWithNewline(long size) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return in.read(last, size - 1) == 1 && last.get(0) == '\n';
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(rotated(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            Path from = rotated(i);
            if (Files.exists(from)) {
                Files.move(from, rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /** The current file and the rotated ones, oldest first. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (int i = maxFiles; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                out.add(rotated(i));
            }
        }
        if (Files.exists(file)) {
            out.add(file);
        }
        return out;
    }

    /** Everything still kept, oldest first. Lines that are not events are counted in {@code unreadable}. */
    public ReadResult readAll() throws IOException {
        List<Event> events = new ArrayList<>();
        int bad = 0;
        for (Path p : files()) {
            try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        events.add(EventJson.read(line));
                    } catch (IOException e) {
                        bad++;
                    }
                }
            } catch (NoSuchFileException rotatedAway) {
                // rotated while we were reading; the next file has its lines
            }
        }
        return new ReadResult(events, bad);
    }

    /** Events in log order and how many lines could not be read as events. */
    public record ReadResult(List<Event> events, int unreadable) {}
}
