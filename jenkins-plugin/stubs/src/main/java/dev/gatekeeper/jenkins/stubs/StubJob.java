package dev.gatekeeper.jenkins.stubs;

import hudson.model.Job;

/** Test seam, not a Jenkins class: a concrete job with a full name, for StubRun. */
public final class StubJob extends Job<StubJob, StubRun> {
    public StubJob(String fullName) {
        super(fullName);
    }
}
