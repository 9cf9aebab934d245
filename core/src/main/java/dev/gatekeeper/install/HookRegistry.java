package dev.gatekeeper.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repositories an installation of Gatekeeper put hooks into, so that removing that installation can take them
 * out again. An installed hook names its runtime by absolute path; when a package manager deletes that runtime, the
 * hook refuses every push ("... is missing; reinstall the hook"): fail closed, but an outage nobody asked for. The
 * Debian package's {@code prerm} reads this registry and uninstalls every repository in it before its files go.
 *
 * <p>One file per repository, {@code <sha256 of the git directory's path>.repo}, holding that path and a newline:
 * installers running as different users (root, the git user) each write their own entries into a shared folder
 * (the package makes it sticky, mode 1733), and a recorded repository is never rewritten, only read back.
 */
public final class HookRegistry {
    static final String SUFFIX = ".repo";
    private final Path dir;

    public HookRegistry(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Records {@code gitDir}; idempotent (an entry already there with the same path is left as it is, whoever wrote
     * it).
     *
     * @return the entry's file
     */
    public Path record(Path gitDir) throws IOException {
        String path = canonical(gitDir);
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
            // the package's prerm reads the entry's first line
            throw new IOException("a repository path with a line break cannot be recorded: " + gitDir);
        }
        Path entry = entry(path);
        if (Files.isRegularFile(entry) && path.equals(read(entry))) {
            return entry;
        }
        InstallFiles.writeAtomically(entry, (path + "\n").getBytes(StandardCharsets.UTF_8), InstallFiles.READABLE);
        return entry;
    }

    /** Forgets {@code gitDir}; true when there was an entry and it is gone. */
    public boolean forget(Path gitDir) throws IOException {
        return Files.deleteIfExists(entry(canonical(gitDir)));
    }

    /** Whether {@code gitDir} is recorded. */
    public boolean contains(Path gitDir) throws IOException {
        Path entry = entry(canonical(gitDir));
        return Files.isRegularFile(entry) && canonical(gitDir).equals(read(entry));
    }

    /** Every recorded git directory, sorted; entries that cannot be read are skipped. */
    public List<Path> repositories() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path entry : s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                try {
                    out.add(Path.of(read(entry)));
                } catch (IOException | RuntimeException e) {
                    // a half-deleted or foreign entry does not hide the others
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return out;
    }

    private Path entry(String canonicalPath) {
        return dir.resolve(InstallFiles.sha256(canonicalPath.getBytes(StandardCharsets.UTF_8)) + SUFFIX);
    }

    private static String read(Path entry) throws IOException {
        return Files.readString(entry, StandardCharsets.UTF_8).strip();
    }

    /** The real path when it exists (so /srv/git/../git/app.git and a symlinked path name one entry). */
    private static String canonical(Path gitDir) throws IOException {
        Path abs = gitDir.toAbsolutePath().normalize();
        return (Files.exists(abs) ? abs.toRealPath() : abs).toString();
    }
}
