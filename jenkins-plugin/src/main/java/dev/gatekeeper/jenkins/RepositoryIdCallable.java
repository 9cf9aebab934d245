package dev.gatekeeper.jenkins;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.identity.RepositoryIdentity;
import dev.gatekeeper.verify.WorkingClone;
import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.util.Optional;
import jenkins.MasterToSlaveFileCallable;

/**
 * The repository id a push from the workspace's clone to {@code origin} names, read on the agent with core's one
 * derivation ({@link RepositoryIdentity#ofClone}): {@code git@host:team/app.git} is {@code team/app}.
 */
final class RepositoryIdCallable extends MasterToSlaveFileCallable<String> {
    private static final long serialVersionUID = 1L;
    private final String function;

    RepositoryIdCallable(String function) {
        this.function = function;
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws AbortException {
        try {
            Optional<WorkingClone> found = WorkingClone.find(workspace.toPath());
            if (found.isEmpty()) {
                throw new AbortException(function + ": the workspace " + workspace + " is not a git clone; give repo:");
            }
            try (WorkingClone clone = found.get()) {
                return RepositoryIdentity.ofClone(clone.repository(), "origin").orElseThrow(() -> new AbortException(
                        function + ": the workspace's origin names no repository; give repo:"));
            }
        } catch (GatekeeperException e) {
            throw new AbortException(function + ": " + e.getMessage());
        }
    }
}
