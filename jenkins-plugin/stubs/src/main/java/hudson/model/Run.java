package hudson.model;

import hudson.ExtensionPoint;
import java.io.IOException;

/** Stub of Jenkins core's Run: a build of a Job. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> implements ExtensionPoint {

    protected final transient JobT project;

    /** Public and assignable as in Jenkins; the stub starts at 1 (Jenkins asks the job for the next number). */
    public transient int number;

    protected Run(JobT job) throws IOException {
        this.project = job;
        this.number = 1;
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
