package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekeeper.ExitCode;
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
        for (ExitCode c : List.of(ExitCode.USAGE, ExitCode.INTERNAL_ERROR)) {
            LinkedHashMap<String, Object> r = StepResult.failure(c, "bad");
            assertThrows(AbortException.class, () -> StepResult.finish("f", r, false));
        }
        assertEquals("usage-error", StepResult.failure(ExitCode.USAGE, "x").get("verdict"));
    }

    @Test
    void theLogMasksSecretValues() {
        dev.gatekeeper.jenkins.stubs.StubTaskListener l = new dev.gatekeeper.jenkins.stubs.StubTaskListener();
        new GatekeeperLog(l, List.of("s3cr3t-value")).println("posting to http://x/s3cr3t-value failed\nnext");
        assertEquals("[gatekeeper] posting to http://x/**** failed\n[gatekeeper] next\n", l.text());
    }
}
