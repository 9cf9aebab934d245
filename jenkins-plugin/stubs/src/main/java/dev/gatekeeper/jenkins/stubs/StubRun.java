package dev.gatekeeper.jenkins.stubs;

import hudson.model.Run;
import java.io.IOException;

/** Test seam, not a Jenkins class: a concrete build, e.g. {@code new StubRun("team/app", 7)} is "team/app#7". */
public final class StubRun extends Run<StubJob, StubRun> {
    public StubRun(StubJob job, int number) throws IOException {
        super(job);
        this.number = number;
    }

    public StubRun(String jobFullName, int number) throws IOException {
        this(new StubJob(jobFullName), number);
    }
}
