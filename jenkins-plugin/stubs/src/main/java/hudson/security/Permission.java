package hudson.security;

/**
 * Stub of Jenkins core's Permission: a named permission and the permission that implies it. The root permissions
 * and their implication chain are as in Jenkins (Administer implies everything through FullControl, GenericRead,
 * GenericWrite, …), so a stub ACL that walks {@link #impliedBy} answers as an ACL in Jenkins does.
 */
public final class Permission {
    public final PermissionGroup group;
    public final String name;
    public final Permission impliedBy;

    public Permission(PermissionGroup group, String name, Permission impliedBy) {
        this.group = group;
        this.name = name;
        this.impliedBy = impliedBy;
    }

    /** As in Jenkins: the owner class name of the group, a dot, the name ({@code hudson.model.Item.Configure}). */
    public String getId() {
        return group.owner.getName() + '.' + name;
    }

    @Override
    public String toString() {
        return "Permission[" + getId() + "]";
    }

    public static final PermissionGroup HUDSON_PERMISSIONS = new PermissionGroup(hudson.model.Hudson.class);
    public static final Permission HUDSON_ADMINISTER = new Permission(HUDSON_PERMISSIONS, "Administer", null);
    public static final PermissionGroup GROUP = new PermissionGroup(Permission.class);
    public static final Permission FULL_CONTROL = new Permission(GROUP, "FullControl", HUDSON_ADMINISTER);
    public static final Permission READ = new Permission(GROUP, "GenericRead", HUDSON_ADMINISTER);
    public static final Permission WRITE = new Permission(GROUP, "GenericWrite", HUDSON_ADMINISTER);
    public static final Permission CREATE = new Permission(GROUP, "GenericCreate", WRITE);
    public static final Permission UPDATE = new Permission(GROUP, "GenericUpdate", WRITE);
    public static final Permission DELETE = new Permission(GROUP, "GenericDelete", WRITE);
    public static final Permission CONFIGURE = new Permission(GROUP, "GenericConfigure", UPDATE);
}
