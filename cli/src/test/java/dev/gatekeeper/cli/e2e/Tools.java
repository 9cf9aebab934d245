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

    /**
     * A program at a fixed path (a daemon such as {@code /usr/sbin/sshd}), or the test fails where it must run
     * ({@code CI=true}, or {@code GATEKEEPER_REQUIRE_ROOT_TESTS=1} as .ci/run sets it) and is skipped visibly
     * elsewhere, naming the package.
     */
    static Path requireProgram(Path program, String debianPackage) {
        if (Files.isExecutable(program)) {
            return program;
        }
        String why = program + " is not installed (Debian package " + debianPackage + "; .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv(Users.REQUIRE))) {
            fail(why + ": this machine must run this test (CI=true or " + Users.REQUIRE + "=1)");
        }
        System.err.println("gatekeeper e2e: SKIPPED (not silently): " + why);
        Assumptions.abort("SKIPPED: " + why);
        return null;
    }
}
