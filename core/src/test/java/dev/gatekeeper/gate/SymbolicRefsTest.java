package dev.gatekeeper.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.verify.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's reading of symbolic refs against git's own ({@code git symbolic-ref}, which follows the chain as a
 * write through the ref would): over seeded random worlds of plain refs, aliases, chains, dangling aliases, loops,
 * old-style symbolic links and HEAD, both of the gate's readers must name the same ref git names, and call
 * unresolvable exactly what git cannot follow.
 */
class SymbolicRefsTest {
    @TempDir Path tmp;
    Git git;
    Path repo;
    String sha;

    @BeforeEach
    void repository() {
        git = new Git(tmp.resolve("home"));
        repo = git.bare(tmp.resolve("srv.git"));
        Path work = git.seededClone(repo.toUri().toString(), tmp.resolve("work"));
        sha = git.git(work, "rev-parse", "HEAD");
    }

    /** What git says a write through {@code name} writes: the final name, the name itself, or null (broken). */
    private String gitsAnswer(String name) {
        Git.Run r = git.run(repo, Map.of(), List.of("git", "--git-dir=" + repo, "symbolic-ref", "--quiet", name));
        if (r.exit() == 0) {
            return r.stdout().strip();
        }
        return r.exit() == 1 ? name : null;
    }

    @Test
    void bothReadersAgreeWithGitOverSeededRandomWorlds() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            Random rnd = new Random(seed);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                names.add((rnd.nextInt(3) == 0 ? "refs/tags/t" : "refs/heads/" + (rnd.nextBoolean() ? "team/" : ""))
                        + "s" + seed + "n" + i);
            }
            for (String n : names) {
                int kind = rnd.nextInt(10);
                String target = names.get(rnd.nextInt(names.size()));
                if (kind < 3) {
                    git.git(repo, "update-ref", n, sha);
                } else if (kind < 8) {
                    Path f = repo.resolve(n);
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, "ref: " + target + "\n"); // chains, loops and dangling ones alike
                } else if (kind == 8) {
                    Path f = repo.resolve(n);
                    Files.createDirectories(f.getParent());
                    Files.createSymbolicLink(f, Path.of(target)); // git's old form: the link text names the target
                } // else: absent (a new ref)
            }
            names.add("HEAD");
            SymbolicRefs files = SymbolicRefs.of(repo, Map.of());
            SymbolicRefs viaGit = new GitSymbolicRefs(repo, git.env(), null);
            for (String n : names) {
                String expected = gitsAnswer(n);
                for (SymbolicRefs reader : List.of(files, viaGit)) {
                    SymbolicRefs.Resolution r = reader.resolve(n);
                    String what = "seed " + seed + " " + n + " by " + reader.getClass().getSimpleName() + ": " + r;
                    if (expected == null) {
                        assertFalse(r.resolved(), what);
                        assertNull(r.written(), what);
                    } else {
                        assertTrue(r.resolved(), what);
                        assertEquals(expected, r.written(), what);
                        assertEquals(!expected.equals(n), r.aliased(), what);
                    }
                }
            }
        }
    }

    @Test
    void anAliasNamesItsChainAndAPlainOrPackedRefNamesItself() throws Exception {
        git.git(repo, "symbolic-ref", "refs/heads/master", "refs/heads/main");
        git.git(repo, "symbolic-ref", "refs/heads/old", "refs/heads/master");
        git.git(repo, "pack-refs", "--all");
        SymbolicRefs refs = SymbolicRefs.of(repo, Map.of());

        SymbolicRefs.Resolution r = refs.resolve("refs/heads/old");
        assertEquals("refs/heads/main", r.written());
        assertEquals(List.of("refs/heads/old", "refs/heads/master"), r.via());
        assertEquals("refs/heads/main", refs.resolve("refs/heads/main").written(), "packed: never symbolic");
        assertEquals(List.of(), refs.resolve("refs/heads/main").via());
        assertEquals("refs/heads/main", refs.resolve("HEAD").written());
        assertEquals("refs/heads/new", refs.resolve("refs/heads/new").written());
    }

    @Test
    void loopsDepthAndGarbageAreUnresolvableWithAReason() throws Exception {
        Files.writeString(repo.resolve("refs/heads/a"), "ref: refs/heads/b\n");
        Files.writeString(repo.resolve("refs/heads/b"), "ref: refs/heads/a\n");
        for (int i = 0; i < 7; i++) {
            Files.writeString(repo.resolve("refs/heads/d" + i), "ref: refs/heads/d" + (i + 1) + "\n");
        }
        Files.writeString(repo.resolve("refs/heads/odd"), "ref: ../../config\n");
        Files.writeString(repo.resolve("refs/heads/empty"), "ref:   \n");
        SymbolicRefs refs = SymbolicRefs.of(repo, Map.of());

        assertTrue(refs.resolve("refs/heads/a").problem().contains("form a loop"), refs.resolve("refs/heads/a")
                ::toString);
        assertTrue(refs.resolve("refs/heads/d0").problem().contains("more than 4 symbolic refs in a row"));
        assertTrue(refs.resolve("refs/heads/odd").problem().contains("which is not a ref"));
        assertTrue(refs.resolve("refs/heads/empty").problem().contains("empty symbolic ref"));
        // names git refuses itself are not followed anywhere (no ../ out of the repository)
        assertEquals("refs/heads/../../config", refs.resolve("refs/heads/../../config").written());
    }

    @Test
    void underANamespaceNamesResolveInsideItAndAnEscapeIsRefused() throws Exception {
        Path ns = repo.resolve("refs/namespaces/team/refs/heads");
        Files.createDirectories(ns);
        Files.writeString(ns.resolve("master"), "ref: refs/namespaces/team/refs/heads/main\n");
        Files.writeString(ns.resolve("out"), "ref: refs/heads/main\n");
        SymbolicRefs refs = SymbolicRefs.of(repo, Map.of("GIT_NAMESPACE", "team"));

        assertEquals("refs/heads/main", refs.resolve("refs/heads/master").written());
        assertTrue(refs.resolve("refs/heads/out").problem().contains("outside the namespace"));
        assertEquals("refs/heads/main", SymbolicRefs.of(repo, Map.of()).resolve("refs/heads/main").written());
    }
}
