package dev.gatekeeper.jenkins;

import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A build log in memory. The stub FilePath serializes callables as remoting would; remoting turns a listener into
 * a proxy writing back to the controller's log, and this one does the same within one JVM: deserialized, it is the
 * very instance the test reads.
 */
final class CapturingListener implements TaskListener {
    private static final long serialVersionUID = 1L;
    private static final Map<String, CapturingListener> LIVE = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final transient ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final transient PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    CapturingListener() {
        LIVE.put(id, this);
    }

    @Override
    public PrintStream getLogger() {
        return out;
    }

    String text() {
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private Object readResolve() {
        return LIVE.get(id);
    }
}
