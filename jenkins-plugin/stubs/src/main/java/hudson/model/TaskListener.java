package hudson.model;

import java.io.PrintStream;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Stub of Jenkins core's TaskListener: where a step's log goes. */
public interface TaskListener extends SerializableOnlyOverRemoting {
    PrintStream getLogger();
}
