package hudson.model;

import hudson.ExtensionPoint;

/** Stub of Jenkins core's Job: only its full name (for Run#getExternalizableId). */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> implements ExtensionPoint {

    private final String fullName;

    /** Stub-only constructor: the real Job takes an ItemGroup parent and a name, and computes the full name. */
    protected Job(String fullName) {
        this.fullName = fullName;
    }

    /** Declared (final) on AbstractItem in Jenkins. */
    public final String getFullName() {
        return fullName;
    }
}
