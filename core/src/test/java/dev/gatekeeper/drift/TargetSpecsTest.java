package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetSpecsTest {
    private final Path base = Path.of("/srv/ws");

    @Test
    void checkoutsResolveAgainstTheBaseAndKeepTheirBranch() {
        Target t = TargetSpecs.checkout("app/../deploy@release", base);
        assertEquals(Target.Kind.CHECKOUT, t.kind());
        assertEquals("/srv/ws/deploy", t.location());
        assertEquals("release", t.branch());
        assertNull(TargetSpecs.checkout("/opt/app", base).branch());
        assertEquals("/opt/app", TargetSpecs.checkout("/opt/app", base).location());
    }

    @Test
    void githubTargetsDefaultToMainAndMustBeOwnerSlashRepo() {
        assertEquals("github:o/r@main", TargetSpecs.github("o/r").id());
        assertEquals("github:o/r@dev", TargetSpecs.github("o/r@dev").id());
        assertThrows(IllegalArgumentException.class, () -> TargetSpecs.github("just-a-name"));
    }

    @Test
    void bareFolders() {
        assertEquals("bare:/srv/ws/git/app.git", TargetSpecs.bare("git/app.git", base).id());
        assertThrows(IllegalArgumentException.class, () -> TargetSpecs.bare(" ", base));
    }

    @Test
    void shards() {
        assertArrayEquals(new int[] {2, 4}, TargetSpecs.shard("2/4"));
        for (String bad : new String[] {"0/4", "5/4", "1", "a/b", "1/2/3", null}) {
            assertThrows(IllegalArgumentException.class, () -> TargetSpecs.shard(bad), String.valueOf(bad));
        }
    }

    @Test
    void stateFileFollowsXdgThenHome() {
        assertEquals(Path.of("/x/gatekeeper/drift-state.json"),
                TargetSpecs.defaultStateFile(Map.of("XDG_STATE_HOME", "/x", "HOME", "/h")));
        assertEquals(Path.of("/h/.local/state/gatekeeper/drift-state.json"),
                TargetSpecs.defaultStateFile(Map.of("HOME", "/h")));
    }
}
