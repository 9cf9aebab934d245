package dev.gatekeeper.jenkins.stubs;

import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test seam, not a Jenkins class: a TaskListener whose log a test can read. It survives the stub FilePath#act
 * serialization round trip the way a real listener survives remoting: the copy "on the agent" writes into the same
 * log (here by id, in Jenkins through a remote stream), so lines logged inside a FileCallable reach {@link #text()}.
 */
public final class StubTaskListener implements TaskListener {
    private static final long serialVersionUID = 1L;
    private static final Map<String, ByteArrayOutputStream> LOGS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private transient PrintStream logger;

    public StubTaskListener() {
        LOGS.put(id, new ByteArrayOutputStream());
    }

    @Override
    public synchronized PrintStream getLogger() {
        if (logger == null) {
            ByteArrayOutputStream log = LOGS.get(id);
            if (log == null) {
                throw new IllegalStateException("this listener's log was discarded");
            }
            logger = new PrintStream(log, true, StandardCharsets.UTF_8);
        }
        return logger;
    }

    /** Everything logged so far, by this listener and its deserialized copies. */
    public String text() {
        ByteArrayOutputStream log = LOGS.get(id);
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    /** Drops the log (call it when the test ends, if many listeners are made). */
    public void discard() {
        LOGS.remove(id);
    }
}
