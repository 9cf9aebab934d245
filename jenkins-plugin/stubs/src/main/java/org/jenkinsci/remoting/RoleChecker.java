package org.jenkinsci.remoting;

/** Stub of remoting's RoleChecker: only appears in RoleSensitive#checkRoles. */
public abstract class RoleChecker {
}
