package hudson.model;

import dev.gatekeeper.jenkins.stubs.StubSecurity;
import hudson.ExtensionPoint;
import hudson.security.ACL;

/**
 * Stub of Jenkins core's Job: its full name (for Run#getExternalizableId) and, as an Item, its ACL (Jenkins: from
 * the authorization strategy; the stub: from the test seam {@link StubSecurity}).
 */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
        implements ExtensionPoint, Item {

    private final String fullName;

    /** Stub-only constructor: the real Job takes an ItemGroup parent and a name, and computes the full name. */
    protected Job(String fullName) {
        this.fullName = fullName;
    }

    /** Declared (final) on AbstractItem in Jenkins. */
    @Override
    public final String getFullName() {
        return fullName;
    }

    /** Declared on AbstractItem in Jenkins. */
    @Override
    public ACL getACL() {
        return StubSecurity.aclOf(this);
    }
}
