package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside tools some tests need (Debian's promtool, chromium). In CI ({@code CI=true}, where .ci/run installs them)
 * a missing tool fails the test loudly; on a developer's machine the test is skipped, visibly, naming the package.
 */
final class Tools {
    private Tools() {}

    /** The tool's path on PATH, or the test fails (CI) or is skipped (elsewhere). */
    static Path require(String tool, String debianPackage) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = tool + " is not installed (Debian package " + debianPackage + "; .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + ": CI must run this test");
        }
        Assumptions.abort("SKIPPED: " + why);
        return null;
    }
}
