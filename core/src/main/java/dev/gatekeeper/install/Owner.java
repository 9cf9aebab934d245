package dev.gatekeeper.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A POSIX user: who owns a repository, and so who git runs its hooks as. A server's repositories belong to the
 * account the git server runs as ({@code git}, {@code gitlab}, {@code gitea}); an admin installing as root must
 * leave files that account can read and write, or the gate it installed refuses every push ("the decision could
 * not be audited"). Names and homes come from {@code getent passwd} (so LDAP accounts resolve too), falling back to
 * {@code /etc/passwd}; an id without an entry keeps its number as its name.
 *
 * @param home the account's home folder from the password database, empty when it has none there
 */
public record Owner(int uid, int gid, String name, Optional<Path> home) {
    private static volatile Owner current;

    /** Who owns {@code path} (its uid and gid). */
    public static Owner of(Path path) throws IOException {
        int uid;
        int gid;
        try {
            uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new IOException("this file system has no POSIX owners: " + path, e);
        }
        return lookup(uid, gid);
    }

    /** The user this process runs as (its effective ids, from /proc, else {@code id}). */
    public static Owner current() {
        Owner c = current;
        if (c == null) {
            int[] ids = currentIds();
            c = lookup(ids[0], ids[1]);
            current = c;
        }
        return c;
    }

    /** Whether this process is root, the only user that can create files for another or run a hook as another. */
    public static boolean runningAsRoot() {
        return current().uid() == 0;
    }

    public boolean isCurrentUser() {
        return uid == current().uid();
    }

    /** {@code name} for messages, with the id when the name is only a number. */
    public String describe() {
        return name.equals(Integer.toString(uid)) ? "uid " + uid : name + " (uid " + uid + ")";
    }

    /** Makes {@code path} (not a link's target) this user's. Only root may give a file away. */
    public void chown(Path path) throws IOException {
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new IOException("cannot give " + path + " to " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code path} belongs to this user. */
    public boolean owns(Path path) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == uid;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The words that run a command as this user from root, the way git would: real and effective ids, the
     * account's groups (or none, for an id without an account), nothing else changed.
     */
    public List<String> runAsPrefix() {
        List<String> p = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
        p.add(name.equals(Integer.toString(uid)) ? "--clear-groups" : "--init-groups");
        p.add("--");
        return p;
    }

    /** Whether {@link #runAsPrefix()} can work here: setpriv (util-linux) is on PATH. */
    public static boolean canSwitchUsers() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "setpriv"))) {
                return true;
            }
        }
        return false;
    }

    static Owner lookup(int uid, int gid) {
        Optional<String[]> entry = passwdEntry(uid);
        String name = entry.map(e -> e[0]).orElse(Integer.toString(uid));
        Optional<Path> home = entry.filter(e -> e.length > 5 && !e[5].isBlank()).map(e -> Path.of(e[5]));
        return new Owner(uid, gid, name, home);
    }

    private static Optional<String[]> passwdEntry(int uid) {
        String line = run(List.of("getent", "passwd", Integer.toString(uid)));
        if (line == null) {
            try {
                for (String l : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                    String[] f = l.split(":", -1);
                    if (f.length > 2 && f[2].equals(Integer.toString(uid))) {
                        line = l;
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
        if (line == null || line.isBlank()) {
            return Optional.empty();
        }
        String[] f = line.strip().split(":", -1);
        return f.length >= 3 ? Optional.of(f) : Optional.empty();
    }

    private static int[] currentIds() {
        try {
            int uid = -1;
            int gid = -1;
            for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                // "Uid:	real	effective	saved	fs": files are created with the effective ids
                if (l.startsWith("Uid:")) {
                    uid = Integer.parseInt(l.substring(4).trim().split("\\s+")[1]);
                } else if (l.startsWith("Gid:")) {
                    gid = Integer.parseInt(l.substring(4).trim().split("\\s+")[1]);
                }
            }
            if (uid >= 0 && gid >= 0) {
                return new int[] {uid, gid};
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask id(1)
        }
        String u = run(List.of("id", "-u"));
        String g = run(List.of("id", "-g"));
        try {
            return new int[] {Integer.parseInt(u.strip()), Integer.parseInt(g.strip())};
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot tell which user this process runs as");
        }
    }

    /** stdout of a short command, or null when it failed. */
    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
