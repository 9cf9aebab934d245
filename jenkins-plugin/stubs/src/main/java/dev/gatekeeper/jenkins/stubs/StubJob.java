package dev.gatekeeper.jenkins.stubs;

import hudson.model.Job;
import hudson.model.Queue;

/**
 * Test seam, not a Jenkins class: a concrete job with a full name, for StubRun; a Queue.Task as a Pipeline job
 * (WorkflowJob) is.
 */
public final class StubJob extends Job<StubJob, StubRun> implements Queue.Task {
    public StubJob(String fullName) {
        super(fullName);
    }
}
