package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookRegistryTest {
    @TempDir
    Path tmp;

    @Test
    void eachEntryIsOneFileHoldingTheRepositoryPathAsThePackagesPrermReadsIt() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("srv/app.git"));
        HookRegistry registry = new HookRegistry(tmp.resolve("registry"));
        Files.createDirectories(registry.dir());

        Path entry = registry.record(repo);

        assertEquals(List.of(entry), list(registry.dir()));
        assertTrue(entry.getFileName().toString().matches("[0-9a-f]{64}\\.repo"), entry.toString());
        // `head -n 1 ENTRY` in the prerm: the path, then a newline, nothing else
        assertEquals(repo.toRealPath() + "\n", Files.readString(entry, StandardCharsets.UTF_8));
        assertEquals("0644", InstallFiles.modeOf(entry));
    }

    @Test
    void recordingTheSameRepositoryByAnotherPathKeepsOneEntry() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("srv/app.git"));
        Files.createSymbolicLink(tmp.resolve("git"), tmp.resolve("srv"));
        HookRegistry registry = new HookRegistry(tmp.resolve("registry"));

        Path a = registry.record(repo);
        Path b = registry.record(tmp.resolve("git/app.git"));
        Path c = registry.record(tmp.resolve("srv/../srv/app.git"));

        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(List.of(repo.toRealPath()), registry.repositories());
    }

    @Test
    void forgetRemovesOnlyThatRepositoryAndSaysWhetherThereWasOne() throws Exception {
        HookRegistry registry = new HookRegistry(tmp.resolve("registry"));
        Path app = Fixtures.bare(tmp.resolve("app.git"));
        Path web = Fixtures.bare(tmp.resolve("web.git"));
        registry.record(app);
        registry.record(web);

        assertTrue(registry.forget(app));
        assertFalse(registry.forget(app));

        assertFalse(registry.contains(app));
        assertTrue(registry.contains(web));
        assertEquals(List.of(web.toRealPath()), registry.repositories());
    }

    @Test
    void manyRepositoriesRecordedConcurrentlyAreAllListedOnce() throws Exception {
        HookRegistry registry = new HookRegistry(tmp.resolve("registry"));
        Random random = new Random(15);
        List<Path> repos = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // odd but legal folder names: spaces, quotes, non-ASCII
            repos.add(Files.createDirectories(tmp.resolve("r" + i + (random.nextBoolean() ? " 'x'" : "-é") + ".git")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> done = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Path r : repos) {
                    done.add(pool.submit(() -> registry.record(r)));
                }
            }
            for (Future<Path> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Path> expected = new ArrayList<>();
        for (Path r : repos) {
            expected.add(r.toRealPath());
        }
        assertEquals(expected.stream().sorted().toList(), registry.repositories().stream().sorted().toList());
        assertEquals(repos.size(), list(registry.dir()).size(), "no temporary files are left behind");
    }

    @Test
    void aPathWithALineBreakIsRefusedRatherThanRecordedAsTwoLines() throws Exception {
        HookRegistry registry = new HookRegistry(tmp.resolve("registry"));
        Path odd = Files.createDirectories(tmp.resolve("a\nb.git"));

        assertThrows(IOException.class, () -> registry.record(odd));
        assertEquals(List.of(), registry.repositories());
    }

    @Test
    void aMissingRegistryFolderListsNothing() throws Exception {
        assertEquals(List.of(), new HookRegistry(tmp.resolve("none")).repositories());
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
