package jenkins.agents;

import hudson.FilePath;
import org.jenkinsci.remoting.RoleChecker;

/** Stub of Jenkins core's ControllerToAgentFileCallable (since 2.485): a FileCallable meant to run on an agent. */
public interface ControllerToAgentFileCallable<T> extends FilePath.FileCallable<T> {

    @Override
    default void checkRoles(RoleChecker checker) throws SecurityException {
        // Jenkins checks the agent role here; the stub has no roles to check.
    }
}
