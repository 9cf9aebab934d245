package dev.gatekeeper.jenkins;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.verify.WorkingClone;
import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.util.Locale;
import java.util.Optional;
import jenkins.MasterToSlaveFileCallable;

/** The full commit id a revision (default HEAD) names in the workspace's clone, read on the agent. */
final class HeadCallable extends MasterToSlaveFileCallable<String> {
    private static final long serialVersionUID = 1L;
    private final String function;
    private final String revision;

    HeadCallable(String function, String revision) {
        this.function = function;
        this.revision = revision;
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws AbortException {
        if (revision != null && revision.matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")) {
            return revision.toLowerCase(Locale.ROOT);
        }
        try {
            Optional<WorkingClone> found = WorkingClone.find(workspace.toPath());
            if (found.isEmpty()) {
                throw new AbortException(function + ": the workspace " + workspace + " is not a git clone; give "
                        + "commit: with a full SHA");
            }
            try (WorkingClone clone = found.get()) {
                if (revision != null) {
                    return clone.resolve(revision + "^{commit}");
                }
                return clone.head().orElseThrow(() -> new AbortException(function + ": HEAD of " + workspace
                        + " names no commit; give commit:"));
            }
        } catch (GatekeeperException e) {
            throw new AbortException(function + ": " + e.getMessage());
        }
    }
}
