package dev.gatekeeper.jenkins.stubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hudson.EnvVars;
import hudson.console.ConsoleLogFilter;
import hudson.console.LineTransformationOutputStream;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.junit.jupiter.api.Test;

/** Console log filters in the stubs: lines as Jenkins cuts them, merged filters, a block's log through its filter. */
class ConsoleLogFilterStubTest {

    /** Replaces one word in each line; serializable, as a filter given to a Pipeline block must be. */
    static final class Replace extends ConsoleLogFilter implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String from;
        private final String to;

        Replace(String from, String to) {
            this.from = from;
            this.to = to;
        }

        @SuppressWarnings("rawtypes")
        @Override
        public OutputStream decorateLogger(Run build, OutputStream logger) {
            return new LineTransformationOutputStream.Delegating(logger) {
                @Override
                protected void eol(byte[] b, int len) throws IOException {
                    out.write(new String(b, 0, len, StandardCharsets.UTF_8).replace(from, to)
                            .getBytes(StandardCharsets.UTF_8));
                }
            };
        }
    }

    @Test
    void linesEndAfterLfAfterCrLfAndAfterALoneCrAndTheLastOneOnClose() throws IOException {
        List<String> lines = new ArrayList<>();
        LineTransformationOutputStream s = new LineTransformationOutputStream() {
            @Override
            protected void eol(byte[] b, int len) {
                lines.add(new String(b, 0, len, StandardCharsets.UTF_8));
            }
        };
        s.write("one\ntwo\r\nthree\rfour".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("one\n", "two\r\n", "three\r"), lines);
        s.close();
        assertEquals(List.of("one\n", "two\r\n", "three\r", "four"), lines);
    }

    @Test
    void mergedFiltersApplyBothTheSubsequentSeesTheTextFirst() throws Exception {
        // subsequent.decorateLogger(original.decorateLogger(log)): what the block writes meets the block's own filter,
        // then the enclosing one, then the log
        ConsoleLogFilter subsequent = new Replace("b", "c");
        assertSame(subsequent, BodyInvoker.mergeConsoleLogFilters(null, subsequent));
        ConsoleLogFilter merged = BodyInvoker.mergeConsoleLogFilters(new Replace("a", "b"), subsequent);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = merged.decorateLogger((Run<?, ?>) null, bytes)) {
            out.write("a b\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("b c\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBlocksLogGoesThroughItsFilterAndTheBuildLogStaysOpen() throws Exception {
        StubTaskListener listener = new StubTaskListener();
        FakeContext context = new FakeContext().with(TaskListener.class, listener);
        context.bodyInvokers = c -> new StubBodyInvoker(c, new EnvVars(), (env, log) -> {
            log.println("the secret is s3cr3t");
            log.print("last s3cr3t");
            return "done";
        });
        context.newBodyInvoker().withContext(new Replace("s3cr3t", "****"))
                .withCallback(BodyExecutionCallback.wrap(context)).start();
        assertEquals("done", context.await());
        listener.getLogger().println("after the block");
        assertEquals("the secret is ****\nlast ****after the block\n", listener.text());
    }

    @Test
    void aFilterThatCannotBeSavedFailsTheBlock() {
        FakeContext context = new FakeContext();
        context.bodyInvokers = c -> new StubBodyInvoker(c, new EnvVars(), env -> "ran");
        context.newBodyInvoker().withContext(new ConsoleLogFilter() { })
                .withCallback(BodyExecutionCallback.wrap(context)).start();
        ExecutionException e = assertThrows(ExecutionException.class, context::await);
        assertInstanceOf(NotSerializableException.class, e.getCause());
    }
}
