package dev.gatekeeper.drift;

import dev.gatekeeper.git.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployed checkout: a working tree on a server that only the pipeline should change. One
 * {@code git status --porcelain=v2 --branch -z} gives the branch, HEAD, the ahead/behind counts against the
 * upstream and every changed, staged or untracked path (ignored files are not drift: git leaves them out).
 * The expected commit is the remote-tracking tip as last fetched (the scanner never fetches: a deploy host may
 * have no route to the git server, and a fetch would change what it scans), or a recorded deployed SHA.
 */
final class CheckoutScanner {
    private CheckoutScanner() {}

    static TargetResult scan(Target t, String fingerprint, GitCli git) throws IOException, InterruptedException {
        Path dir = Path.of(t.location());
        if (!Files.isDirectory(dir)) {
            return TargetResult.error(t, "no such folder: " + dir);
        }
        // --no-optional-locks: a scan must not write the index (nor take its lock from a deploy in progress), and
        // the index staying untouched is what lets the next incremental scan skip this checkout
        GitCli.Result st = git.run(dir, "--no-optional-locks", "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all");
        if (!st.ok()) {
            return TargetResult.error(t, "not a git checkout (" + st.stderr() + ")");
        }
        Status s = Status.parse(st.text());
        List<Finding> findings = new ArrayList<>();
        String heal = Heal.checkoutPlan(t, s);
        if (!s.changed.isEmpty()) {
            findings.add(new Finding(Finding.Kind.DIRTY, "working tree", s.changed.size()
                    + " uncommitted, staged or untracked path(s): " + sample(s.changed), heal));
        }
        if (t.branch() != null && !t.branch().equals(s.head)) {
            findings.add(s.head == null
                    ? new Finding(Finding.Kind.DETACHED, "HEAD", "HEAD is detached at " + abbrev(s.oid) + "; expected branch "
                            + t.branch(), heal)
                    : new Finding(Finding.Kind.WRONG_BRANCH, s.head, "on branch " + s.head + "; expected " + t.branch(), heal));
        }
        if (t.expect() != null) {
            if (s.oid == null || !s.oid.startsWith(t.expect())) {
                findings.add(new Finding(Finding.Kind.NOT_DEPLOYED, abbrev(t.expect()), "HEAD is " + abbrev(s.oid)
                        + ", not the deployed commit " + abbrev(t.expect()), heal));
            }
        } else if (s.upstream != null) {
            if (s.ahead > 0) {
                findings.add(new Finding(Finding.Kind.AHEAD, s.upstream, s.ahead + " local commit(s) not on " + s.upstream, heal));
            }
            if (s.behind > 0) {
                findings.add(new Finding(Finding.Kind.BEHIND, s.upstream, "HEAD is " + s.behind + " commit(s) behind "
                        + s.upstream, heal));
            }
        } else if (t.branch() != null && s.head == null) {
            String tip = Heal.expectedCommit(t, dir, git);
            if (tip != null && !tip.equals(s.oid)) {
                findings.add(new Finding(Finding.Kind.BEHIND, "origin/" + t.branch(), "HEAD " + abbrev(s.oid)
                        + " is not the remote tip " + abbrev(tip), heal));
            }
        }
        return TargetResult.of(t, findings, fingerprint);
    }

    private static String sample(List<String> paths) {
        List<String> first = paths.subList(0, Math.min(3, paths.size()));
        return String.join(", ", first) + (paths.size() > 3 ? ", …" : "");
    }

    static String abbrev(String sha) {
        return sha == null ? "(none)" : sha.substring(0, Math.min(10, sha.length()));
    }

    /** The parts of {@code git status --porcelain=v2 --branch -z} the scanner uses. */
    static final class Status {
        String oid;
        String head;
        String upstream;
        int ahead;
        int behind;
        final List<String> changed = new ArrayList<>();

        static Status parse(String z) {
            Status s = new Status();
            String[] parts = z.split("\0");
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                if (p.startsWith("# branch.oid ")) {
                    String v = p.substring(13);
                    s.oid = v.equals("(initial)") ? null : v;
                } else if (p.startsWith("# branch.head ")) {
                    String v = p.substring(14);
                    s.head = v.equals("(detached)") ? null : v;
                } else if (p.startsWith("# branch.upstream ")) {
                    s.upstream = p.substring(18);
                } else if (p.startsWith("# branch.ab ")) {
                    String[] ab = p.substring(12).split(" ");
                    s.ahead = Integer.parseInt(ab[0].substring(1));
                    s.behind = Integer.parseInt(ab[1].substring(1));
                } else if (p.startsWith("1 ") || p.startsWith("u ")) {
                    s.changed.add(p.substring(nthSpace(p, p.startsWith("1 ") ? 8 : 10) + 1));
                } else if (p.startsWith("2 ")) {
                    s.changed.add(p.substring(nthSpace(p, 9) + 1));
                    i++; // the rename's original path follows as its own NUL-terminated field
                } else if (p.startsWith("? ")) {
                    s.changed.add(p.substring(2));
                }
            }
            return s;
        }

        private static int nthSpace(String s, int n) {
            int at = -1;
            for (int k = 0; k < n; k++) {
                at = s.indexOf(' ', at + 1);
            }
            return at;
        }
    }
}
