package hudson.model;

/** Stub of Jenkins core's Job: only its full name (for Run#getExternalizableId). */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {

    private final String name;

    /** Stub-only constructor: the real Job takes an ItemGroup parent and a name. */
    protected Job(String name) {
        this.name = name;
    }

    public String getFullName() {
        return name;
    }
}
