package dev.gatekeeper.install;

import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code $GIT_DIR/gatekeeper/saved/}: where a file is copied before Gatekeeper replaces or removes something it
 * cannot prove it wrote, so that nothing anyone put in a repository is ever lost.
 */
final class Saved {
    static final String DIR = "saved";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private Saved() {}

    /** Copies {@code file} (bytes and mode) to {@code saved/<name>.<UTC time>}, never over an earlier copy. */
    static Path copy(Path gitDir, Path file, Clock clock) throws IOException {
        Path dir = PolicyLocator.repoDir(gitDir).resolve(DIR);
        String base = file.getFileName() + "." + STAMP.format(clock.instant());
        Path target = dir.resolve(base);
        for (int i = 1; Files.exists(target); i++) {
            target = dir.resolve(base + "." + i);
        }
        InstallFiles.copyAtomically(file, target);
        return target;
    }
}
