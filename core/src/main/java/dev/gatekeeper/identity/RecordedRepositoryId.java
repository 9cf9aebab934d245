package dev.gatekeeper.identity;

import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The repository id {@code gatekeeper hooks install} records in {@code $GIT_DIR/gatekeeper/repository-id}: one line.
 * It lives beside the policy, where a push cannot write, and moves with the folder, so the identity survives a
 * move or a rename of the folder. Reading it is one small file read on every push.
 */
public final class RecordedRepositoryId {
    public static final String FILE_NAME = "repository-id";

    private RecordedRepositoryId() {}

    public static Path file(Path gitDir) {
        return PolicyLocator.repoDir(gitDir).resolve(FILE_NAME);
    }

    /** The recorded id; empty when there is none or it is not a usable id (then the gate falls back, visibly). */
    public static Optional<String> read(Path gitDir) {
        Path f = file(gitDir);
        byte[] head = new byte[RepositoryIdentity.MAX_LENGTH + 2];
        int n = 0;
        try (InputStream in = Files.newInputStream(f)) {
            int r;
            while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
                n += r;
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        String text = new String(head, 0, n, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return Optional.ofNullable(RepositoryIdentity.valid(nl < 0 ? text : text.substring(0, nl)));
    }

    /**
     * Records {@code id} (replacing the file in one rename).
     *
     * @throws IllegalArgumentException when {@code id} is not a usable id
     */
    public static Path write(Path gitDir, String id) throws IOException {
        String v = RepositoryIdentity.valid(id);
        if (v == null || v.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("'" + id + "' is not a usable repository id (1 to "
                    + RepositoryIdentity.MAX_LENGTH + " characters, no control characters)");
        }
        Path f = file(gitDir);
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, v + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return f;
    }

    /** Whether a valid id is usable as one (for options and policies). */
    public static boolean isValid(String id) {
        return RepositoryIdentity.valid(id) != null;
    }
}
