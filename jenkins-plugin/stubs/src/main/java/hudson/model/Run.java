package hudson.model;

import hudson.ExtensionPoint;
import java.io.IOException;

/** Stub of Jenkins core's Run: a build of a Job. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> implements ExtensionPoint {

    protected final transient JobT project;

    public int number;

    /** Stub-only constructor: the real one is {@code protected Run(JobT job) throws IOException} and numbers the build itself. */
    protected Run(JobT job, int number) throws IOException {
        this.project = job;
        this.number = number;
    }

    public int getNumber() {
        return number;
    }

    public JobT getParent() {
        return project;
    }

    /** "full/job/name#number", as Jenkins. */
    public String getExternalizableId() {
        return project.getFullName() + "#" + getNumber();
    }
}
