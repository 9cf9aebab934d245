package hudson.security;

import jenkins.model.Jenkins;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/** Stub of Jenkins core's ACL: whether the current (or a given) authentication has a permission. */
public abstract class ACL {

    public final void checkPermission(Permission p) {
        Authentication a = Jenkins.getAuthentication2();
        if (a.equals(SYSTEM2)) {
            return;
        }
        if (!hasPermission2(a, p)) {
            throw new AccessDeniedException(a.getName() + " is missing the " + p.group.owner.getSimpleName() + "/"
                    + p.name + " permission");
        }
    }

    public final boolean hasPermission(Permission p) {
        Authentication a = Jenkins.getAuthentication2();
        if (a.equals(SYSTEM2)) {
            return true;
        }
        return hasPermission2(a, p);
    }

    /** Non-abstract in Jenkins (it bridges to the deprecated Acegi overload); abstract here. */
    public abstract boolean hasPermission2(Authentication a, Permission permission);

    public static final String SYSTEM_USERNAME = "SYSTEM";

    public static final Authentication SYSTEM2 = new UsernamePasswordAuthenticationToken(SYSTEM_USERNAME, "SYSTEM");
}
