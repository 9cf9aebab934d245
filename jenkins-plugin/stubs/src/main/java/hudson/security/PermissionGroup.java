package hudson.security;

/** Stub of Jenkins core's PermissionGroup: only what a Permission constant needs. */
public final class PermissionGroup {
    public final Class<?> owner;

    /** Stub-only constructor: the real ones also take a Localizable title (org.jvnet.localizer, not stubbed). */
    public PermissionGroup(Class<?> owner) {
        this.owner = owner;
    }
}
