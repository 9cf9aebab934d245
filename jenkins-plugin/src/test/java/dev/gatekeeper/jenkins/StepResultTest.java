package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.KeyStyle;
import hudson.AbortException;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepResultTest {
    @Test
    void verdictsPassOrFailByPropagate() throws Exception {
        LinkedHashMap<String, Object> ok = StepResult.of("healthy", 0, "fine");
        assertSame(ok, StepResult.finish("f", ok, true));
        for (int code : new int[] {3, 4, 5, 6}) {
            LinkedHashMap<String, Object> r = StepResult.of("v", code, "why\n  more");
            AbortException e = assertThrows(AbortException.class, () -> StepResult.finish("gatekeeperX", r, true));
            assertEquals("gatekeeperX: why more (exit " + code + ")", e.getMessage());
            assertSame(r, StepResult.finish("gatekeeperX", r, false));
        }
    }

    @Test
    void settingsAndInternalErrorsAlwaysFail() {
        for (Throwable t : List.of(dev.gatekeeper.settings.SettingsException.of("wait", "bad", null),
                new IllegalStateException("a bug"))) {
            LinkedHashMap<String, Object> r = StepResult.of(Outcome.of(t, KeyStyle.JENKINS));
            assertThrows(AbortException.class, () -> StepResult.finish("f", r, false));
        }
        LinkedHashMap<String, Object> usage = StepResult.of(Outcome.of(
                dev.gatekeeper.settings.SettingsException.of("maxRevertsPerDay", "must be at least 1", null),
                KeyStyle.JENKINS));
        assertEquals("usage-error", usage.get("verdict"));
        assertEquals(ExitCode.USAGE.code(), usage.get("exitCode"));
        assertEquals("maxRevertsPerDay: must be at least 1", usage.get("reason"), "named as the step's parameter");
        assertEquals("internal-error", StepResult.of(Outcome.of(new IllegalArgumentException("x"), KeyStyle.JENKINS))
                .get("verdict"), "a stray IllegalArgumentException is a bug, as in every packaging");
    }

    @Test
    void theLogMasksSecretValues() {
        dev.gatekeeper.jenkins.stubs.StubTaskListener l = new dev.gatekeeper.jenkins.stubs.StubTaskListener();
        new GatekeeperLog(l, List.of("s3cr3t-value")).println("posting to http://x/s3cr3t-value failed\nnext");
        assertEquals("[gatekeeper] posting to http://x/**** failed\n[gatekeeper] next\n", l.text());
    }
}
