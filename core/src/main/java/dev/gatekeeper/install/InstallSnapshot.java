package dev.gatekeeper.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files an install is about to replace, as they were: bytes, mode, owner, or a link, or nothing. An install
 * whose self-test fails is put back with it, so a repository that worked before still works: an upgrade never
 * leaves a hook that refuses every push behind. Restoring writes each file atomically, hooks first.
 */
final class InstallSnapshot {
    private record Saved(Path path, byte[] bytes, String mode, String link, Integer uid, Integer gid) {
        boolean existed() {
            return bytes != null || link != null;
        }
    }

    private final Map<Path, Saved> files = new LinkedHashMap<>();

    /** Remembers {@code path} as it is now (once: the first state is the one restored). */
    void remember(Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        if (files.containsKey(p)) {
            return;
        }
        if (!InstallFiles.present(p)) {
            files.put(p, new Saved(p, null, null, null, null, null));
        } else if (Files.isSymbolicLink(p)) {
            files.put(p, new Saved(p, null, null, Files.readSymbolicLink(p).toString(), uid(p), gid(p)));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            files.put(p, new Saved(p, Files.readAllBytes(p), InstallFiles.modeOf(p), null, uid(p), gid(p)));
        }
    }

    /** Puts every remembered file back; returns what could not be, one line each (empty when all were). */
    List<String> restore() {
        List<String> problems = new ArrayList<>();
        for (Saved s : files.values()) {
            try {
                if (!s.existed()) {
                    Files.deleteIfExists(s.path());
                } else if (s.link() != null) {
                    InstallFiles.symlinkAtomically(s.path(), Path.of(s.link()));
                } else {
                    InstallFiles.writeAtomically(s.path(), s.bytes(), s.mode());
                }
                if (s.existed() && s.uid() != null && Owner.runningAsRoot()) {
                    Files.setAttribute(s.path(), "unix:uid", s.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(s.path(), "unix:gid", s.gid(), LinkOption.NOFOLLOW_LINKS);
                }
            } catch (IOException | RuntimeException e) {
                problems.add("cannot restore " + s.path() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    private static Integer uid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Integer gid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
