package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.security.PermissionGroup;

/** Stub of Jenkins core's Item: an access-controlled item and the item permissions a form checks. */
public interface Item extends AccessControlled {
    PermissionGroup PERMISSIONS = new PermissionGroup(Item.class);
    Permission CONFIGURE = new Permission(PERMISSIONS, "Configure", Permission.CONFIGURE);
    Permission READ = new Permission(PERMISSIONS, "Read", Permission.READ);
    Permission EXTENDED_READ = new Permission(PERMISSIONS, "ExtendedRead", CONFIGURE);

    String getFullName();
}
