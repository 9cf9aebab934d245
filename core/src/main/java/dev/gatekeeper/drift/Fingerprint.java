package dev.gatekeeper.drift;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What the incremental scan compares: one stat walk, no git process. A checkout's fingerprint covers HEAD, the
 * refs (local and remote-tracking), the index and every file and folder of the working tree (path, size,
 * modification time in nanoseconds); a bare repository's covers everything in its git directory except the
 * object store (refs, packed-refs, config, hooks, Gatekeeper's manifest and audit log). Equal fingerprints mean
 * the last findings still hold. Like git's own stat cache it trusts modification times: a change that restores a
 * file's size and time exactly is not seen until something else changes.
 */
final class Fingerprint {
    private Fingerprint() {}

    static String checkout(Path dir) throws IOException {
        Path git = dir.resolve(".git");
        if (!Files.isDirectory(git, LinkOption.NOFOLLOW_LINKS)) {
            return null; // a linked worktree or submodule: its git directory is elsewhere, always scan
        }
        Acc a = new Acc();
        a.file(git.resolve("HEAD"));
        a.file(git.resolve("index"));
        a.file(git.resolve("packed-refs"));
        a.file(git.resolve("config"));
        a.tree(git.resolve("refs"), null);
        a.tree(dir, ".git");
        return a.value();
    }

    static String bare(Path gitDir) throws IOException {
        Acc a = new Acc();
        a.tree(gitDir, "objects");
        return a.value();
    }

    /** Order-independent: directory listing order differs between file systems and runs. */
    private static final class Acc {
        private long sum;
        private long count;

        void file(Path p) throws IOException {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                add(p, Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                if (p.getFileName().toString().equals("HEAD")) {
                    sum += mix(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).hashCode());
                }
            }
        }

        void tree(Path root, String skip) throws IOException {
            if (!Files.isDirectory(root)) {
                return;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (skip != null && d.getParent() != null && d.getParent().equals(root)
                            && d.getFileName().toString().equals(skip)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    add(d, attrs);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    add(f, attrs);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    sum += mix(f.hashCode() * 7L);
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        private void add(Path p, BasicFileAttributes attrs) {
            long t = attrs.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + attrs.lastModifiedTime().toInstant().getNano();
            sum += mix(p.hashCode() * 31L + attrs.size() * 1_000_003L + t);
            count++;
        }

        String value() {
            return Long.toHexString(sum) + "-" + count;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return z ^ (z >>> 33);
        }
    }
}
