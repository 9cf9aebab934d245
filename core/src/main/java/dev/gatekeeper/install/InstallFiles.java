package dev.gatekeeper.install;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The file operations the installer is built from. Every write goes to a temporary file in the target's own folder
 * and is renamed over the target, so git never runs a half-written hook and a crash never leaves a repository
 * without one.
 */
final class InstallFiles {
    static final String EXECUTABLE = "0755";
    static final String READABLE = "0644";

    private InstallFiles() {}

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    /** Writes {@code bytes} to {@code target} atomically (temporary file, fsync, rename), with {@code mode}. */
    static void writeAtomically(Path target, byte[] bytes, String mode) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(bytes);
                out.flush();
                ch.force(true);
            }
            setMode(tmp, mode);
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies a file (its bytes and mode) to {@code target} atomically. */
    static void copyAtomically(Path source, Path target) throws IOException {
        writeAtomically(target, Files.readAllBytes(source), modeOf(source));
    }

    /** Creates a symbolic link at {@code target} pointing to {@code linkTarget}, replacing whatever is there. */
    static void symlinkAtomically(Path target, Path linkTarget) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        Files.createSymbolicLink(tmp, linkTarget);
        try {
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A rename that replaces {@code target} in one step; there is never a moment without a file there. */
    static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + " atomically (another file system?)",
                    e);
        }
    }

    /** The POSIX mode as four octal digits ("0755"), or null where the file system has none (Windows). */
    static String modeOf(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    static void setMode(Path file, String mode) throws IOException {
        if (mode == null) {
            return;
        }
        int bits = Integer.parseInt(mode, 8);
        StringBuilder sb = new StringBuilder(9);
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((bits & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(sb.toString()));
        } catch (UnsupportedOperationException e) {
            // no POSIX modes here (Windows): git for Windows runs hooks by their #! line, not a mode bit
            file.toFile().setExecutable((bits & 0100) != 0);
        }
    }

    /** Whether a path exists as anything, including a symbolic link whose target is gone. */
    static boolean present(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Creates {@code dir} and its missing parents.
     *
     * @return the folders that did not exist before, outermost first (so they can be removed again, innermost first)
     */
    static List<Path> createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        Files.createDirectories(dir);
        return missing;
    }

    /** Removes {@code dir} if it is an empty folder; anything else is left alone. */
    static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException notEmptyOrBusy) {
            // someone else's files live there now; they are not ours to remove
        }
    }

    /** {@code path} relative to {@code gitDir} when it is inside it, else absolute, with '/' separators. */
    static String relative(Path gitDir, Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path base = gitDir.toAbsolutePath().normalize();
        String s = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
        return s.replace(java.io.File.separatorChar, '/');
    }

    /**
     * An exclusive lock taken the way git takes {@code index.lock}: creating the file fails if it exists. Removed on
     * close, with the folders created for it when they are left empty (a refused install leaves no trace); a crash
     * leaves it behind, and the message says which file to remove.
     */
    static final class Lock implements AutoCloseable {
        private final Path file;
        private final List<Path> createdDirs;

        private Lock(Path file, List<Path> createdDirs) {
            this.file = file;
            this.createdDirs = createdDirs;
        }

        static Lock acquire(Path file) throws IOException {
            List<Path> created = createDirectories(file.getParent());
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("another gatekeeper install or uninstall is working on this repository (or one"
                        + " crashed: then remove " + file + ")");
            }
            return new Lock(file, created);
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
            for (int i = createdDirs.size() - 1; i >= 0; i--) {
                deleteIfEmpty(createdDirs.get(i));
            }
        }
    }
}
