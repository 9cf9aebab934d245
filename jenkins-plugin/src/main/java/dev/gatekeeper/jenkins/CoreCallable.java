package dev.gatekeeper.jenkins;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one core command where the workspace is (on the agent) and returns its result map. Every failure becomes a
 * result with its exit code, never an exception thrown across the remoting channel: the step decides on the
 * controller whether it fails the build ({@link StepResult#finish}).
 */
abstract class CoreCallable extends MasterToSlaveFileCallable<LinkedHashMap<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> env;
    final GatekeeperLog log;

    CoreCallable(Map<String, String> env, GatekeeperLog log) {
        this.env = new HashMap<>(env);
        this.log = log;
    }

    /** Runs the command; {@code env} is the build's environment as the agent sees it, free to add to. */
    abstract LinkedHashMap<String, Object> run(Path workspace, Map<String, String> env)
            throws GatekeeperException, IOException, InterruptedException;

    @Override
    public final LinkedHashMap<String, Object> invoke(File workspace, VirtualChannel channel)
            throws IOException, InterruptedException {
        try {
            return run(workspace.toPath(), AgentEnvironment.of(env));
        } catch (GatekeeperException ex) {
            log.println(ex.getMessage());
            return StepResult.failure(ex.exitCode(), ex.getMessage());
        } catch (IllegalArgumentException ex) {
            // a malformed setting (a duration, a probe, a shard) that core refused
            log.println(ex.getMessage());
            return StepResult.failure(ExitCode.USAGE, ex.getMessage());
        } catch (RuntimeException ex) {
            log.trace(ex);
            return StepResult.failure(ExitCode.INTERNAL_ERROR, "internal error: " + ex);
        }
    }
}
