package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Real system accounts for the tests that need "a repository owned by another user": a git server's account
 * ({@link #GIT}) and a scanner's service account ({@link #SCANNER}). They need root (to create the accounts and to
 * act as them); CI runs as root and {@code .ci/run} creates them. Where that is impossible the test is skipped with a
 * line on stderr, never passed silently; with {@code GATEKEEPER_REQUIRE_ROOT_TESTS=1} (set by {@code .ci/run}) it
 * fails instead, so CI can never skip them.
 */
final class Users {
    static final String GIT = "gkgit";
    static final String SCANNER = "gkscan";
    static final String REQUIRE = "GATEKEEPER_REQUIRE_ROOT_TESTS";

    private Users() {}

    /** A system account. */
    record Account(String name, int uid, int gid, Path home) {
        /** The words that run a command as this account: real and effective ids, its groups. */
        List<String> runAs() {
            return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--");
        }

        /** Makes {@code path} and everything below it this account's. */
        void chownR(Path path) {
            Proc.run(path.getParent(), Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), null, Proc.DEFAULT_TIMEOUT,
                    List.of("chown", "-R", uid + ":" + gid, path.toString())).expectOk();
        }
    }

    /** The account {@code name}, created when missing; skips (or fails in CI) when this JVM is not root. */
    static synchronized Account require(String name) {
        boolean root = "0".equals(idOutput("-u"));
        if (!root) {
            skip("needs root to create and act as the account '" + name + "' (running as uid " + idOutput("-u") + ")");
        }
        if (run(List.of("getent", "passwd", name)).exitCode() != 0) {
            Proc.Result add = run(List.of("useradd", "--system", "--user-group", "--create-home", "--home-dir",
                    "/var/lib/" + name, "--shell", "/bin/sh", name));
            if (add.exitCode() != 0 && run(List.of("getent", "passwd", name)).exitCode() != 0) {
                skip("cannot create the account '" + name + "':\n" + add.describe());
            }
        }
        if (run(List.of("sh", "-c", "command -v setpriv")).exitCode() != 0) {
            skip("setpriv (util-linux) is not installed");
        }
        String[] f = run(List.of("getent", "passwd", name)).stdout().strip().split(":");
        return new Account(name, Integer.parseInt(f[2]), Integer.parseInt(f[3]), Path.of(f[5]));
    }

    /** Lets every user reach {@code dir}: 0755 on it and on each parent it can change (JUnit's temp dirs are 0700). */
    static void openUp(Path dir) {
        try {
            for (Path p = dir.toAbsolutePath(); p != null && p.getNameCount() > 0; p = p.getParent()) {
                if (Files.isDirectory(p) && Files.isWritable(p)) {
                    var perms = Files.getPosixFilePermissions(p);
                    if (!perms.containsAll(PosixFilePermissions.fromString("r-xr-xr-x"))) {
                        perms.addAll(PosixFilePermissions.fromString("r-xr-xr-x"));
                        Files.setPosixFilePermissions(p, perms);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips loudly; fails where CI requires these tests to run. */
    static void skip(String why) {
        String msg = "SKIPPED (not silently): " + why;
        System.err.println("gatekeeper e2e: " + msg);
        if ("1".equals(System.getenv(REQUIRE))) {
            fail(msg + " -- " + REQUIRE + "=1 says this machine must run it (CI runs as root; .ci/run creates the"
                    + " accounts)");
        }
        Assumptions.assumeTrue(false, msg);
    }

    private static String idOutput(String flag) {
        return run(List.of("id", flag)).stdout().strip();
    }

    private static Proc.Result run(List<String> cmd) {
        return Proc.run(Path.of("/"), Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), null, Proc.DEFAULT_TIMEOUT,
                cmd);
    }
}
