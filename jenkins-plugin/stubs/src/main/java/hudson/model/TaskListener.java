package hudson.model;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Stub of Jenkins core's TaskListener: where a step's log goes. */
public interface TaskListener extends SerializableOnlyOverRemoting {

    PrintStream getLogger();

    /** Prints "ERROR: msg" and returns a writer for details (a stack trace), as Jenkins. */
    default PrintWriter error(String msg) {
        PrintStream out = getLogger();
        out.print("ERROR: ");
        out.println(msg);
        return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    }
}
