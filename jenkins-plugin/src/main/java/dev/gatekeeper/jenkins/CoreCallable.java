package dev.gatekeeper.jenkins;

import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.watch.MonitoredRun;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    private String job;
    private String pingUrl;

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

    /**
     * Pings {@code pingUrl} (a ping service's check, from credentials; null: none) around the run, under
     * {@code job} (null: the command's name). Returns this callable.
     */
    final CoreCallable<R> pinging(String job, String pingUrl) {
        this.job = job;
        this.pingUrl = pingUrl;
        return this;
    }

    @Override
    public final LinkedHashMap<String, Object> invoke(File workspace, VirtualChannel channel)
            throws IOException, InterruptedException {
        Map<String, String> e = AgentEnvironment.of(env);
        Outcome<R> o;
        if (pingUrl == null) {
            o = call(workspace.toPath(), e);
        } else {
            // the ping only: Jenkins keeps each build's history, a heartbeat store on an agent would be a second one
            MonitoredRun.Settings watch;
            try {
                watch = MonitoredRun.Settings.of(command.replace(' ', '-'), false, job, null, true, pingUrl, null, e);
            } catch (IllegalArgumentException badJob) { // the setter checks it: a step saved by an older version
                watch = new MonitoredRun.Settings(command.replace(' ', '-'), null, pingUrl, null);
                log.println("warning: " + badJob.getMessage() + "; pinging as " + watch.job());
            }
            List<Outcome<R>> ran = new ArrayList<>(1);
            InterruptedException[] aborted = {null};
            new MonitoredRun(watch, w -> log.println("warning: " + w), Clock.systemUTC()).run(() -> {
                try {
                    ran.add(call(workspace.toPath(), e));
                    return ran.get(0).exitCode().code();
                } catch (InterruptedException abort) {
                    aborted[0] = abort;
                    return MonitoredRun.STOPPED; // the build was aborted: the service hears it stopped
                }
            }, () -> ran.isEmpty() ? MonitoredRun.Facts.NONE : MonitoredRun.Facts.of(ran.get(0).summary(), null));
            if (aborted[0] != null) {
                throw aborted[0];
            }
            o = ran.get(0);
        }
        o.warnings().forEach(w -> log.println("warning: " + w));
        log.println(command + ": " + o.summary());
        LinkedHashMap<String, Object> m = StepResult.of(o);
        render(o, m);
        return m;
    }

    /** The command's outcome; every failure but an abort becomes one. */
    private Outcome<R> call(Path workspace, Map<String, String> e) throws InterruptedException {
        try {
            return run(workspace, e);
        } catch (InterruptedException abort) {
            throw abort;
        } catch (Exception | LinkageError ex) {
            Outcome<R> o = Outcome.of(ex, KeyStyle.JENKINS);
            if (o.exitCode() == dev.gatekeeper.ExitCode.INTERNAL_ERROR) {
                log.trace(ex);
            }
            return o;
        }
    }
}
