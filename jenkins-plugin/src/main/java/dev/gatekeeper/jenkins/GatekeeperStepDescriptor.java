package dev.gatekeeper.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/**
 * What every Gatekeeper step needs from the Pipeline: a workspace (the steps run in a clone, so inside
 * {@code node}), the build's log, the build (for its credentials) and its environment.
 */
public abstract class GatekeeperStepDescriptor extends StepDescriptor {
    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(FilePath.class, TaskListener.class, Run.class, EnvVars.class);
    }
}
