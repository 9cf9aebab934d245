package jenkins;

import hudson.FilePath.FileCallable;
import org.jenkinsci.remoting.RoleChecker;

/** Stub of Jenkins core's MasterToSlaveFileCallable: a FileCallable the controller sends to an agent. */
public abstract class MasterToSlaveFileCallable<T> implements FileCallable<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void checkRoles(RoleChecker checker) throws SecurityException {
        // The real one checks the agent role; the stub has no roles to check.
    }
}
