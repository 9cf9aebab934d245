package dev.gatekeeper.jenkins;

import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.KeyStyle;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one core command where the workspace is (on the agent) and returns its outcome as the step's result map.
 * Every failure becomes a result through the one mapping every packaging shares ({@link Outcome#of}, settings named
 * as the step's parameters), never an exception thrown across the remoting channel: the step decides on the
 * controller whether it fails the build ({@link StepResult#finish}). An interruption is the build being aborted and
 * stays an abort, as Jenkins shows it.
 */
abstract class CoreCallable<R> extends MasterToSlaveFileCallable<LinkedHashMap<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final HashMap<String, String> env;
    final GatekeeperLog log;

    CoreCallable(String command, Map<String, String> env, GatekeeperLog log) {
        this.command = command;
        this.env = new HashMap<>(env);
        this.log = log;
    }

    /** Runs the command; {@code env} is the build's environment as the agent sees it. */
    abstract Outcome<R> run(Path workspace, Map<String, String> env) throws Exception;

    /** The step's settings as core takes them (the command's settings record), in {@code workspace}. */
    abstract Record settings(Path workspace, Map<String, String> env) throws Exception;

    /** Adds the command's own fields to the result (its report is null when the run failed before it had one). */
    abstract void render(Outcome<R> outcome, LinkedHashMap<String, Object> result);

    @Override
    public final LinkedHashMap<String, Object> invoke(File workspace, VirtualChannel channel)
            throws IOException, InterruptedException {
        Outcome<R> o;
        try {
            o = run(workspace.toPath(), AgentEnvironment.of(env));
        } catch (InterruptedException abort) {
            throw abort;
        } catch (Exception | LinkageError ex) {
            o = Outcome.of(ex, KeyStyle.JENKINS);
            if (o.exitCode() == dev.gatekeeper.ExitCode.INTERNAL_ERROR) {
                log.trace(ex);
            }
        }
        o.warnings().forEach(w -> log.println("warning: " + w));
        log.println(command + ": " + o.summary());
        LinkedHashMap<String, Object> m = StepResult.of(o);
        render(o, m);
        return m;
    }
}
