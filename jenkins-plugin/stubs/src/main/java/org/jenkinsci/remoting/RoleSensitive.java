package org.jenkinsci.remoting;

/** Stub of remoting's RoleSensitive. */
public interface RoleSensitive {
    void checkRoles(RoleChecker checker) throws SecurityException;
}
