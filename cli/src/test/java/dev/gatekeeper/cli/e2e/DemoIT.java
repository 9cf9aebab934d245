package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatekeeper demo}: the whole push-gate story with real pushes, from the packaged distribution. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class DemoIT {
    @Test
    void theDemoGoesAsTold(@TempDir Path root) {
        Dist dist = new Dist(Env.isolated(root));
        Proc.Result r = dist.run(root, Map.of(), null, Duration.ofSeconds(300), "demo", "--dir",
                root.resolve("demo").toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("Every step went as told"), r.describe());
        assertTrue(!r.stdout().contains("UNEXPECTED"), r.describe());
    }
}
