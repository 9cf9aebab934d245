package jenkins.model;

import dev.gatekeeper.jenkins.stubs.StubSecurity;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Stub of Jenkins core's Jenkins singleton: the permission constant, the current authentication (read from Spring
 * Security's SecurityContextHolder exactly as Jenkins does, anonymous when there is none) and the root ACL (from the
 * test seam {@link StubSecurity}).
 */
public class Jenkins implements AccessControlled {
    private static final Jenkins INSTANCE = new Jenkins();

    /** Stub-only: the real constructor takes the root folder and the servlet context. */
    protected Jenkins() {
    }

    /** Jenkins throws IllegalStateException when it is not running; the stub is always "running". */
    public static Jenkins get() throws IllegalStateException {
        return INSTANCE;
    }

    public static Jenkins getInstanceOrNull() {
        return INSTANCE;
    }

    public static Authentication getAuthentication2() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null) {
            a = ANONYMOUS2;
        }
        return a;
    }

    @Override
    public ACL getACL() {
        return StubSecurity.aclOf(this);
    }

    public static final Authentication ANONYMOUS2 = new AnonymousAuthenticationToken("anonymous", "anonymous",
            Set.of(new SimpleGrantedAuthority("anonymous")));

    public static final Permission ADMINISTER = Permission.HUDSON_ADMINISTER;
}
