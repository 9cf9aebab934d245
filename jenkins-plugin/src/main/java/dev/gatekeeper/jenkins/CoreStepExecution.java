package dev.gatekeeper.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * What the executions of the steps that run a core command share: credentials read on the controller, the command
 * run where the workspace is, and the rule that turns its result into a return value or a failed build.
 */
abstract class CoreStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;
    private final String function;

    CoreStepExecution(String function, StepContext context) {
        super(context);
        this.function = function;
    }

    /** The secret text of credentials {@code id} for this build; null when no id was given. */
    final String secret(String parameter, String id) throws Exception {
        return StepSecrets.text(function, parameter, id, getContext().get(Run.class));
    }

    /** The build's log, with every one of {@code secrets} masked. */
    final GatekeeperLog log(String... secrets) throws Exception {
        return new GatekeeperLog(getContext().get(TaskListener.class), StepSecrets.values(secrets));
    }

    /** A copy of the build's environment, to travel with the command to the agent. */
    final EnvVars env() throws Exception {
        return new EnvVars(getContext().get(EnvVars.class));
    }

    /** Runs {@code command} in the workspace and returns its result, or fails the step (see StepResult#finish). */
    final Map<String, Object> runInWorkspace(CoreCallable<?> command, boolean propagate) throws Exception {
        return StepResult.finish(function, getContext().get(FilePath.class).act(command), propagate);
    }
}
