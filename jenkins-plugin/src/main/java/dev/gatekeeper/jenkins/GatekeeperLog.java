package dev.gatekeeper.jenkins;

import hudson.model.TaskListener;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes to the build log with the {@code [gatekeeper] } prefix, so the steps' lines stand out among the
 * pipeline's own. Every line is also scrubbed of the secret values the step was given: core never prints them,
 * but a webhook URL echoed in some library's error message must not reach a log that many people can read.
 * Serializable because it travels to the agent inside the step's file callable, with its listener.
 */
final class GatekeeperLog implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "[gatekeeper] ";

    private final TaskListener listener;
    private final List<String> secrets;

    GatekeeperLog(TaskListener listener, List<String> secrets) {
        this.listener = listener;
        this.secrets = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                this.secrets.add(s);
            }
        }
    }

    /** One or more lines (split at line breaks), each prefixed. */
    void println(String text) {
        PrintStream out = listener.getLogger();
        for (String line : mask(text).split("\r?\n", -1)) {
            out.println(PREFIX + line);
        }
        out.flush();
    }

    /** An unexpected failure with its stack trace (masked too), so a bug can be reported from the log alone. */
    void trace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        println(w.toString().stripTrailing());
    }

    String mask(String text) {
        String t = text == null ? "" : text;
        for (String s : secrets) {
            t = t.replace(s, "****");
        }
        return t;
    }
}
