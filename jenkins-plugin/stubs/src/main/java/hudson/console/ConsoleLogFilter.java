package hudson.console;

import hudson.ExtensionPoint;
import hudson.model.Run;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Stub of Jenkins core's ConsoleLogFilter: decorates the stream a build's (or, given to a Pipeline block with
 * BodyInvoker#withContext, a block's) log is written to. Only the {@code Run} overload of decorateLogger is kept.
 */
public abstract class ConsoleLogFilter implements ExtensionPoint {

    /**
     * Returns the stream the log is to be written to instead of {@code logger}. Jenkins' default forwards to the
     * deprecated AbstractBuild overload (omitted here) and otherwise returns {@code logger} unchanged, as this one.
     * Pipeline calls it with a {@code null} build.
     */
    @SuppressWarnings("rawtypes")
    public OutputStream decorateLogger(Run build, OutputStream logger) throws IOException, InterruptedException {
        return logger;
    }
}
