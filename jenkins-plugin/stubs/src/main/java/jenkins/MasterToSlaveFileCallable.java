package jenkins;

import jenkins.agents.ControllerToAgentFileCallable;

/** Stub of Jenkins core's MasterToSlaveFileCallable: a FileCallable the controller sends to an agent. */
public abstract class MasterToSlaveFileCallable<T> implements ControllerToAgentFileCallable<T> {
    private static final long serialVersionUID = 1L;
}
