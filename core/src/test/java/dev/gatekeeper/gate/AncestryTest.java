package dev.gatekeeper.gate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The same contract for both implementations: JGit in-process, and the git binary the hook runs under. */
class AncestryTest {
    @TempDir
    Path tmp;

    private Path gitDir;
    private String tree;
    private String a;
    private String b;
    private String c;
    private String tagA;
    private String tagB;

    @BeforeEach
    void createRepository() throws Exception {
        gitDir = tmp.resolve("app.git");
        try (Git git = Git.init().setBare(true).setDirectory(gitDir.toFile()).call();
             ObjectInserter ins = git.getRepository().newObjectInserter()) {
            ObjectId t = ins.insert(new TreeFormatter());
            ObjectId ca = PreReceiveCommandTest.commit(ins, t, "A");
            ObjectId cb = PreReceiveCommandTest.commit(ins, t, "B", ca);
            ObjectId cc = PreReceiveCommandTest.commit(ins, t, "C", ca);
            tree = t.name();
            a = ca.name();
            b = cb.name();
            c = cc.name();
            tagA = tag(ins, ca, "v1").name();
            tagB = tag(ins, cb, "v1").name();
            ins.flush();
        }
    }

    private static ObjectId tag(ObjectInserter ins, ObjectId target, String name) throws Exception {
        TagBuilder tb = new TagBuilder();
        tb.setObjectId(target, Constants.OBJ_COMMIT);
        tb.setTag(name);
        tb.setTagger(new PersonIdent("T", "t@example.com", Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));
        tb.setMessage("tag " + name + " at " + target.name() + "\n");
        return ins.insert(tb);
    }

    /** JGit needs closing; the git binary does not. */
    private interface Closable extends Ancestry, AutoCloseable {
        @Override
        void close();
    }

    private static Closable open(String kind, Path gitDir) {
        if (kind.equals("jgit")) {
            JGitAncestry j = new JGitAncestry(gitDir, Map.of());
            return new Closable() {
                public boolean isFastForward(String o, String n) throws IOException { return j.isFastForward(o, n); }
                public void close() { j.close(); }
            };
        }
        GitCliAncestry g = new GitCliAncestry(gitDir, Map.of());
        return new Closable() {
            public boolean isFastForward(String o, String n) throws IOException { return g.isFastForward(o, n); }
            public void close() { }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"jgit", "git"})
    void fastForwardAndRewrites(String kind) throws Exception {
        try (Closable ancestry = open(kind, gitDir)) {
            assertTrue(ancestry.isFastForward(a, b));
            assertTrue(ancestry.isFastForward(a, a));
            assertFalse(ancestry.isFastForward(b, a), "going back is a rewrite");
            assertFalse(ancestry.isFastForward(b, c), "a sibling is a rewrite");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jgit", "git"})
    void nonCommitsAndMovedTagsAreRewrites(String kind) throws Exception {
        try (Closable ancestry = open(kind, gitDir)) {
            assertFalse(ancestry.isFastForward(a, tree));
            assertFalse(ancestry.isFastForward(tagA, tagB), "re-pointing an annotated tag");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jgit", "git"})
    void missingObjectsAreAnError(String kind) throws Exception {
        try (Closable ancestry = open(kind, gitDir)) {
            assertThrows(IOException.class, () -> ancestry.isFastForward(a, "9".repeat(40)));
        }
        try (Closable ancestry = open(kind, tmp.resolve("no-such.git"))) {
            assertThrows(IOException.class, () -> ancestry.isFastForward(a, b));
        }
    }
}
