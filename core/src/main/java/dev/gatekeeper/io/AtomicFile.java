package dev.gatekeeper.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Files that readers never see half-written: the bytes go to a temporary file in the same folder (a rename is
 * atomic only within one file system), are forced to disk, then renamed over the target. A Prometheus textfile
 * collector, {@code gatekeeper watch} or a person with {@code cat} reads either the old file or the new one.
 */
public final class AtomicFile {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private AtomicFile() {}

    /** Replaces {@code file} with {@code bytes} atomically, creating its folder when missing. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        // a dot name: the textfile collector reads only *.prom, and a leftover of a killed run is visibly junk
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                out.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Work that reads and replaces a file while holding its lock. */
    public interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding an exclusive lock on {@code file}'s sibling {@code .lock} file: other processes
     * (file lock) and other threads of this one (a FileLock is per process) wait, so read-modify-write cycles of
     * overlapping runs never lose each other's changes.
     */
    public static <T> T locked(Path file, Locked<T> work) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        Path lock = abs.resolveSibling(abs.getFileName() + ".lock");
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lock, p -> new ReentrantLock());
        local.lock();
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            return work.run();
        } finally {
            local.unlock();
        }
    }
}
