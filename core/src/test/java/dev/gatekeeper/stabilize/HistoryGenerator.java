package dev.gatekeeper.stabilize;

import dev.gatekeeper.verify.Git;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Seeded histories with every kind of change git knows, written with {@code git fast-import}: files added,
 * deleted, modified, renamed (with and without edits, across folders, whole folders at once), mode changes,
 * symlinks, type changes (file to symlink and back), binary files, gitlinks (submodule entries), merge attributes
 * ({@code merge=union}, {@code -merge}), empty commits, merges with a moved main line, empty merges (nothing
 * relative to the first parent), "evil" merges (an extra edit in the merge), octopus merges and criss-cross merges.
 * A small set of paths keeps later commits touching what earlier ones touched, so a revert meets renames, edits on
 * the same lines and deletions of what it would restore.
 *
 * <p>Every commit lists its whole tree (fast-import's {@code deleteall}); git finds renames by content, as it does
 * for any history. Branches own disjoint sets of paths while they are open, so each merge's tree is the union of
 * both sides' changes, as a clean {@code git merge} would make it.
 */
final class HistoryGenerator {
    /** A tree entry: mode and content (a symlink's target, a gitlink's commit id in hex). */
    record Entry(String mode, byte[] data) {
        boolean text() {
            return mode.equals("100644") || mode.equals("100755");
        }
    }

    /** A commit of the generated history: its fast-import mark, and whether it is a merge. */
    record Commit(int mark, int parents, String kind) {}

    /** A generated history: the commits of main's first-parent chain, in order, and others that main merged. */
    static final class History {
        final long seed;
        final Path repo;
        final List<Commit> main = new ArrayList<>();
        /** Commits on merged branches, each with the index in {@link #main} where it became part of main. */
        final Map<Commit, Integer> merged = new HashMap<>();
        Map<Integer, String> shas = Map.of();

        History(long seed, Path repo) {
            this.seed = seed;
            this.repo = repo;
        }

        String sha(Commit c) {
            return shas.get(c.mark());
        }
    }

    private static final String[] DIRS = {"", "a/", "b/", "a/x/", "docs/"};
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
        "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"};

    private final Random rnd;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int marks;
    private long time = 1_700_000_000L;
    private int names;

    HistoryGenerator(long seed) {
        this.rnd = new Random(seed);
    }

    /**
     * Writes a history of about {@code mainCommits} commits on main's first-parent chain into a new repository
     * at {@code dir} (branch {@code main}).
     */
    static History generate(Git git, Path dir, long seed, int mainCommits) {
        HistoryGenerator g = new HistoryGenerator(seed);
        History h = new History(seed, dir);
        g.build(h, mainCommits);
        try {
            Files.createDirectories(dir);
            git.git(dir, "init", "-q", "--initial-branch=main");
            Path stream = dir.resolve(".git/fast-import-stream");
            Files.write(stream, g.out.toByteArray());
            Path marks = dir.resolve(".git/marks");
            Git.Run r = git.run(dir, Map.of(), List.of("sh", "-c", "git fast-import --quiet --export-marks="
                    + marks + " < " + stream));
            if (r.exit() != 0) {
                throw new AssertionError("fast-import (seed " + seed + "): " + r.stderr());
            }
            Map<Integer, String> shas = new HashMap<>();
            for (String line : Files.readAllLines(marks)) {
                String[] p = line.split(" ");
                shas.put(Integer.parseInt(p[0].substring(1)), p[1]);
            }
            h.shas = shas;
            Files.delete(stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return h;
    }

    private void build(History h, int mainCommits) {
        TreeMap<String, Entry> tree = new TreeMap<>();
        for (int i = 0; i < 8; i++) {
            addText(tree, p -> true, "");
        }
        int tip = commit("refs/heads/main", tree, "initial", List.of());
        h.main.add(new Commit(tip, 0, "root"));
        while (h.main.size() < mainCommits) {
            int roll = rnd.nextInt(100);
            if (roll < 55) {
                int ops = 1 + rnd.nextInt(3);
                List<String> did = new ArrayList<>();
                for (int i = 0; i < ops; i++) {
                    did.add(change(tree, p -> true, "", true));
                }
                tip = commit("refs/heads/main", tree, String.join(", ", did), List.of(tip));
                h.main.add(new Commit(tip, 1, String.join(",", did)));
            } else if (roll < 58) {
                tip = commit("refs/heads/main", tree, "empty commit", List.of(tip));
                h.main.add(new Commit(tip, 1, "empty"));
            } else if (roll < 93) {
                tip = mergeBranches(h, tree, tip, roll < 85 ? 1 : roll < 88 ? 2 : 0);
            } else {
                tip = crissCross(h, tree, tip);
            }
        }
    }

    /**
     * Branches off main, works on {@code branches} branches (0: one branch with only an empty commit, an empty
     * merge), moves main meanwhile, and merges them with --no-ff (two branches: an octopus merge).
     */
    private int mergeBranches(History h, TreeMap<String, Entry> tree, int tip, int branches) {
        TreeMap<String, Entry> fork = new TreeMap<>(tree);
        Set<String> taken = new HashSet<>();
        List<Integer> heads = new ArrayList<>();
        List<Commit> branchCommits = new ArrayList<>();
        List<TreeMap<String, Entry>> branchTrees = new ArrayList<>();
        boolean empty = branches == 0;
        for (int b = 0; b < Math.max(1, branches); b++) {
            String tag = "br" + (++names);
            Set<String> own = claim(fork, taken);
            TreeMap<String, Entry> bt = new TreeMap<>(fork);
            int head = tip;
            int n = empty ? 1 : 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                String did = empty ? "empty" : change(bt, own::contains, tag, false);
                own.addAll(newPaths(fork, bt));
                head = commit("refs/heads/" + tag, bt, tag + ": " + did, List.of(head));
                branchCommits.add(new Commit(head, 1, tag + ":" + did));
            }
            taken.addAll(own);
            heads.add(head);
            branchTrees.add(bt);
        }
        // main moves meanwhile, away from the branches' paths
        int moves = rnd.nextInt(3);
        for (int i = 0; i < moves; i++) {
            String did = change(tree, p -> !taken.contains(p), "main" + (++names), false);
            taken.addAll(newPaths(fork, tree)); // keep later branch work off main's new paths
            tip = commit("refs/heads/main", tree, "main: " + did, List.of(tip));
            h.main.add(new Commit(tip, 1, did));
        }
        String kind;
        int roll = rnd.nextInt(100);
        if (empty || roll < 8) {
            kind = empty ? "empty-merge" : "ours-merge"; // the merge's tree is the first parent's
        } else {
            for (TreeMap<String, Entry> bt : branchTrees) {
                applyChanges(tree, fork, bt);
            }
            kind = heads.size() > 1 ? "octopus" : "merge";
            if (roll > 85) {
                change(tree, p -> !taken.contains(p), "evil" + (++names), false);
                kind = "evil-merge";
            }
        }
        List<Integer> parents = new ArrayList<>();
        parents.add(tip);
        parents.addAll(heads);
        tip = commit("refs/heads/main", tree, "Merge " + kind, parents);
        h.main.add(new Commit(tip, parents.size(), kind));
        for (Commit c : branchCommits) {
            h.merged.put(c, h.main.size() - 1);
        }
        return tip;
    }

    /** Two branches that merge each other (a criss-cross), then both merged into main. */
    private int crissCross(History h, TreeMap<String, Entry> tree, int tip) {
        TreeMap<String, Entry> fork = new TreeMap<>(tree);
        Set<String> taken = new HashSet<>();
        String ta = "cc" + (++names);
        String tb = "cc" + (++names);
        Set<String> ownA = claim(fork, taken);
        taken.addAll(ownA);
        Set<String> ownB = claim(fork, taken);
        taken.addAll(ownB);
        TreeMap<String, Entry> a = new TreeMap<>(fork);
        TreeMap<String, Entry> b = new TreeMap<>(fork);
        List<Commit> side = new ArrayList<>();
        int ha = commit("refs/heads/" + ta, a, ta + ": " + change(a, ownA::contains, ta, false), List.of(tip));
        side.add(new Commit(ha, 1, ta));
        int hb = commit("refs/heads/" + tb, b, tb + ": " + change(b, ownB::contains, tb, false), List.of(tip));
        side.add(new Commit(hb, 1, tb));
        taken.addAll(newPaths(fork, a));
        taken.addAll(newPaths(fork, b));
        TreeMap<String, Entry> ab = new TreeMap<>(a);
        applyChanges(ab, fork, b);
        int ma = commit("refs/heads/" + ta, ab, "Merge " + tb + " into " + ta, List.of(ha, hb));
        side.add(new Commit(ma, 2, "criss-cross"));
        int mb = commit("refs/heads/" + tb, ab, "Merge " + ta + " into " + tb, List.of(hb, ha));
        side.add(new Commit(mb, 2, "criss-cross"));
        TreeMap<String, Entry> a2 = new TreeMap<>(ab);
        int ha2 = commit("refs/heads/" + ta, a2, ta + ": " + change(a2, ownA::contains, ta, false), List.of(ma));
        side.add(new Commit(ha2, 1, ta));
        TreeMap<String, Entry> b2 = new TreeMap<>(ab);
        int hb2 = commit("refs/heads/" + tb, b2, tb + ": " + change(b2, ownB::contains, tb, false), List.of(mb));
        side.add(new Commit(hb2, 1, tb));
        applyChanges(tree, fork, a2);
        tip = commit("refs/heads/main", tree, "Merge " + ta + " (criss-cross)", List.of(tip, ha2));
        h.main.add(new Commit(tip, 2, "merge-criss-cross"));
        int at = h.main.size() - 1;
        applyChanges(tree, ab, b2);
        tip = commit("refs/heads/main", tree, "Merge " + tb + " (criss-cross)", List.of(tip, hb2));
        h.main.add(new Commit(tip, 2, "merge-criss-cross"));
        for (Commit c : side) {
            // B's merge of A and B's last commit reach main only with the second merge
            h.merged.put(c, c.mark() == hb2 || c.mark() == mb ? at + 1 : at);
        }
        return tip;
    }

    /** Paths a branch may touch: a few existing files nobody else owns. */
    private Set<String> claim(TreeMap<String, Entry> tree, Set<String> taken) {
        Set<String> own = new HashSet<>();
        for (String p : tree.keySet()) {
            if (!taken.contains(p) && rnd.nextInt(4) == 0) {
                own.add(p);
            }
        }
        return own;
    }

    private static Set<String> newPaths(TreeMap<String, Entry> before, TreeMap<String, Entry> after) {
        Set<String> s = new HashSet<>(after.keySet());
        s.removeAll(before.keySet());
        return s;
    }

    /** {@code into} gets every change {@code side} made relative to {@code base}. */
    private static void applyChanges(TreeMap<String, Entry> into, TreeMap<String, Entry> base,
                                     TreeMap<String, Entry> side) {
        Set<String> paths = new HashSet<>(base.keySet());
        paths.addAll(side.keySet());
        for (String p : paths) {
            Entry was = base.get(p);
            Entry now = side.get(p);
            if (was != null && now == null) {
                into.remove(p);
            } else if (now != null && !now.equals(was)) {
                into.put(p, now);
            }
        }
    }

    /**
     * One random change to {@code tree} on paths {@code may} allows ({@code tag} makes new names unique to a
     * branch); {@code mainLine}: whole-folder renames and attribute files are allowed. Returns what it did.
     */
    private String change(TreeMap<String, Entry> tree, Predicate<String> may, String tag, boolean mainLine) {
        List<String> mine = tree.keySet().stream().filter(may).toList();
        List<String> texts = mine.stream().filter(p -> tree.get(p).text()).toList();
        int roll = rnd.nextInt(100);
        if (texts.isEmpty() || roll < 12) {
            return addText(tree, may, tag);
        }
        String p = texts.get(rnd.nextInt(texts.size()));
        if (roll < 40) {
            tree.put(p, new Entry(tree.get(p).mode(), edit(tree.get(p).data())));
            return "modify " + p;
        }
        if (roll < 48) {
            tree.remove(p);
            return "delete " + p;
        }
        if (roll < 58) {
            String to = freePath(tree, tag, ext(p));
            tree.put(to, tree.remove(p));
            return "rename " + p + " -> " + to;
        }
        if (roll < 66) {
            String to = freePath(tree, tag, ext(p));
            Entry e = tree.remove(p);
            tree.put(to, new Entry(e.mode(), edit(e.data())));
            return "rename+modify " + p + " -> " + to;
        }
        if (roll < 71) {
            Entry e = tree.get(p);
            tree.put(p, new Entry(e.mode().equals("100644") ? "100755" : "100644", e.data()));
            return "mode " + p;
        }
        if (roll < 76) {
            List<String> links = mine.stream().filter(q -> tree.get(q).mode().equals("120000")).toList();
            if (!links.isEmpty() && rnd.nextBoolean()) {
                String l = links.get(rnd.nextInt(links.size()));
                if (rnd.nextBoolean()) {
                    tree.put(l, new Entry("100644", lines(3))); // type change: symlink to file
                    return "symlink->file " + l;
                }
                tree.put(l, new Entry("120000", ("target-" + rnd.nextInt(1000)).getBytes(StandardCharsets.UTF_8)));
                return "retarget " + l;
            }
            if (rnd.nextBoolean()) {
                tree.put(p, new Entry("120000", ("../" + p).getBytes(StandardCharsets.UTF_8)));
                return "file->symlink " + p;
            }
            String l = freePath(tree, tag, "");
            tree.put(l, new Entry("120000", p.getBytes(StandardCharsets.UTF_8)));
            return "symlink " + l;
        }
        if (roll < 82) {
            List<String> bins = mine.stream().filter(q -> ext(q).equals(".bin")).toList();
            if (!bins.isEmpty() && rnd.nextBoolean()) {
                String b = bins.get(rnd.nextInt(bins.size()));
                byte[] d = tree.get(b).data().clone();
                d[rnd.nextInt(d.length)] ^= (byte) (1 + rnd.nextInt(255));
                tree.put(b, new Entry("100644", d));
                return "binary modify " + b;
            }
            String b = freePath(tree, tag, ".bin");
            byte[] d = new byte[48 + rnd.nextInt(64)];
            rnd.nextBytes(d);
            d[3] = 0; // a NUL: git treats it as binary
            tree.put(b, new Entry("100644", d));
            return "binary add " + b;
        }
        if (roll < 86) {
            List<String> links = mine.stream().filter(q -> tree.get(q).mode().equals("160000")).toList();
            String g = links.isEmpty() || rnd.nextBoolean() ? freePath(tree, tag, "") : links.get(rnd.nextInt(
                    links.size()));
            tree.put(g, new Entry("160000", hex40().getBytes(StandardCharsets.US_ASCII)));
            return "gitlink " + g;
        }
        if (mainLine && roll < 92) {
            return renameFolder(tree, tag);
        }
        if (mainLine && roll < 95) {
            String dir = DIRS[rnd.nextInt(DIRS.length)];
            String attr = rnd.nextBoolean() ? "*.txt merge=union\n" : "*.txt -merge\n";
            if (rnd.nextInt(3) == 0 && tree.containsKey(dir + ".gitattributes")) {
                tree.remove(dir + ".gitattributes");
                return "remove " + dir + ".gitattributes";
            }
            if (!collides(tree, dir + ".gitattributes")) {
                tree.put(dir + ".gitattributes", new Entry("100644", attr.getBytes(StandardCharsets.UTF_8)));
                return "attributes " + dir + ".gitattributes";
            }
        }
        tree.put(p, new Entry(tree.get(p).mode(), edit(edit(tree.get(p).data()))));
        return "modify twice " + p;
    }

    /** Moves every entry under one folder to a new folder (git's directory rename detection). */
    private String renameFolder(TreeMap<String, Entry> tree, String tag) {
        String from = DIRS[1 + rnd.nextInt(DIRS.length - 1)];
        List<String> inside = tree.keySet().stream().filter(q -> q.startsWith(from)).toList();
        if (inside.size() < 2) {
            return addText(tree, q -> true, tag);
        }
        String to = "moved" + (++names) + tag + "/";
        for (String q : inside) {
            tree.put(to + q.substring(from.length()), tree.remove(q));
        }
        return "rename folder " + from + " -> " + to;
    }

    private String addText(TreeMap<String, Entry> tree, Predicate<String> may, String tag) {
        String p = freePath(tree, tag, ".txt");
        tree.put(p, new Entry(rnd.nextInt(8) == 0 ? "100755" : "100644", lines(4 + rnd.nextInt(9))));
        return "add " + p;
    }

    private String freePath(TreeMap<String, Entry> tree, String tag, String ext) {
        while (true) {
            String p = DIRS[rnd.nextInt(DIRS.length)] + "f" + (++names) + tag + ext;
            if (!collides(tree, p)) {
                return p;
            }
        }
    }

    /** A path that is, or is inside, or contains an existing entry cannot be added. */
    private static boolean collides(TreeMap<String, Entry> tree, String p) {
        for (String q : tree.keySet()) {
            if (q.equals(p) || q.startsWith(p + "/") || p.startsWith(q + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String ext(String p) {
        int dot = p.lastIndexOf('.');
        return dot > p.lastIndexOf('/') ? p.substring(dot) : "";
    }

    private byte[] lines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(line()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String line() {
        return WORDS[rnd.nextInt(WORDS.length)] + " " + rnd.nextInt(10_000) + " " + WORDS[rnd.nextInt(WORDS.length)];
    }

    /** Changes, inserts, deletes or appends one line. */
    private byte[] edit(byte[] data) {
        List<String> ls = new ArrayList<>(List.of(new String(data, StandardCharsets.UTF_8).split("\n", -1)));
        if (!ls.isEmpty() && ls.get(ls.size() - 1).isEmpty()) {
            ls.remove(ls.size() - 1);
        }
        int roll = rnd.nextInt(4);
        if (ls.isEmpty() || roll == 3) {
            ls.add(line());
        } else if (roll == 0) {
            ls.set(rnd.nextInt(ls.size()), line());
        } else if (roll == 1) {
            ls.add(rnd.nextInt(ls.size() + 1), line());
        } else if (ls.size() > 3) {
            ls.remove(rnd.nextInt(ls.size()));
        } else {
            ls.set(rnd.nextInt(ls.size()), line());
        }
        return (String.join("\n", ls) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private String hex40() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }

    private int commit(String ref, TreeMap<String, Entry> tree, String message, List<Integer> parents) {
        int mark = ++marks;
        time += 60;
        write("commit " + ref + "\nmark :" + mark + "\n");
        write("author Dev <dev@example.invalid> " + time + " +0000\n");
        write("committer Dev <dev@example.invalid> " + time + " +0000\n");
        data(message.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < parents.size(); i++) {
            write((i == 0 ? "from :" : "merge :") + parents.get(i) + "\n");
        }
        write("deleteall\n");
        for (Map.Entry<String, Entry> e : tree.entrySet()) {
            Entry v = e.getValue();
            if (v.mode().equals("160000")) {
                write("M 160000 " + new String(v.data(), StandardCharsets.US_ASCII) + " " + e.getKey() + "\n");
            } else {
                write("M " + v.mode() + " inline " + e.getKey() + "\n");
                data(v.data());
            }
        }
        write("\n");
        return mark;
    }

    private void data(byte[] b) {
        write("data " + b.length + "\n");
        out.writeBytes(b);
        write("\n");
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
