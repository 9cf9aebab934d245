package dev.gatekeeper.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows event logs as they grow ({@code events tail --follow}): each {@link #poll} returns the lines appended
 * since the last one, across rotation. A log rotates by renaming its file to {@code .1} (see {@link EventLog}); the
 * follower knows its file by the file system's key (device and inode), so after a rotation it first finishes the
 * renamed file, then reads the rotated files newer than it, then the new file from its start. A line still being
 * written (no newline yet) waits for the next poll. Starts at the end of each file: what was there before is the
 * caller's to read ({@link EventLog#readAll}).
 */
public final class LogFollower {
    private final List<Tail> tails = new ArrayList<>();

    public LogFollower(List<EventLog> logs) throws IOException {
        for (EventLog l : logs) {
            Tail t = new Tail(l);
            BasicFileAttributes a = attributes(l.file());
            if (a != null) {
                t.key = a.fileKey();
                t.offset = a.size();
            } else {
                t.unseen = true; // no file yet: what rotates before the first poll is new, what is there now is not
                for (Path p : l.files()) {
                    BasicFileAttributes r = attributes(p);
                    if (r != null) {
                        t.before.add(r.fileKey());
                    }
                }
            }
            tails.add(t);
        }
    }

    /** The complete lines appended to any of the logs since the last poll, in file order per log. */
    public List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Tail t : tails) {
            t.poll(lines);
        }
        return lines;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static final class Tail {
        final EventLog log;
        Object key;
        long offset;
        boolean unseen;
        final java.util.Set<Object> before = new java.util.HashSet<>();
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Tail(EventLog log) {
            this.log = log;
        }

        void poll(List<String> out) throws IOException {
            BasicFileAttributes now = attributes(log.file());
            if (key != null && (now == null || !key.equals(now.fileKey()))) {
                rotated(out); // our file was renamed away: finish it, then what came after it
                key = null;
                offset = 0;
                now = attributes(log.file());
            }
            if (now == null) {
                return;
            }
            if (unseen) {
                unseen = false;
                for (Path p : log.files()) { // the file appeared and may have rotated already: those first
                    BasicFileAttributes a = attributes(p);
                    if (!p.equals(log.file()) && a != null && !before.contains(a.fileKey())) {
                        read(p, 0, out);
                        partial.reset();
                    }
                }
                now = attributes(log.file());
                if (now == null) {
                    return;
                }
            }
            if (key == null) {
                key = now.fileKey();
                offset = 0;
            } else if (now.size() < offset) {
                offset = 0; // truncated in place (not how EventLog rotates; a hand edit): read it again
                partial.reset();
            }
            offset = read(log.file(), offset, out);
        }

        private void rotated(List<String> out) throws IOException {
            List<Path> files = log.files(); // oldest first, the current file last
            int ours = -1;
            for (int i = 0; i < files.size(); i++) {
                if (!files.get(i).equals(log.file())) {
                    BasicFileAttributes a = attributes(files.get(i));
                    if (a != null && key.equals(a.fileKey())) {
                        ours = i;
                    }
                }
            }
            if (ours < 0) {
                partial.reset(); // rotated past every kept file before we looked: what it had is gone from disk
                return;
            }
            read(files.get(ours), offset, out);
            partial.reset(); // a torn last line of a rotated file stays torn
            for (int i = ours + 1; i < files.size(); i++) {
                if (!files.get(i).equals(log.file())) {
                    read(files.get(i), 0, out);
                    partial.reset();
                }
            }
        }

        /** Reads from {@code from} to the end; returns the new offset. */
        private long read(Path file, long from, List<String> out) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long pos = from;
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (true) {
                    buf.clear();
                    int n = ch.read(buf, pos);
                    if (n <= 0) {
                        break;
                    }
                    pos += n;
                    byte[] b = buf.array();
                    for (int i = 0; i < n; i++) {
                        if (b[i] == '\n') {
                            String line = partial.toString(StandardCharsets.UTF_8);
                            partial.reset();
                            if (!line.isBlank()) {
                                out.add(line);
                            }
                        } else {
                            partial.write(b[i]);
                        }
                    }
                }
                return pos;
            } catch (NoSuchFileException gone) {
                return from;
            }
        }
    }
}
