package dev.gatekeeper.jenkins.stubs;

import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jenkins.model.Jenkins;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Test seam, not a Jenkins class: a matrix-like authorization strategy. {@link #grant} gives a user permissions on an
 * item or, on {@link Jenkins#get()}, everywhere; a permission is held when it or a permission that implies it (its
 * {@code impliedBy} chain, up to Administer) is granted, as Jenkins' SidACL decides. {@link #login} makes a user the
 * current authentication through Spring Security's SecurityContextHolder, where Jenkins reads it.
 */
public final class StubSecurity {
    private static final Map<Object, Map<String, Set<Permission>>> GRANTS = new ConcurrentHashMap<>();

    private StubSecurity() {
    }

    public static void grant(AccessControlled on, String user, Permission... permissions) {
        GRANTS.computeIfAbsent(key(on), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).addAll(Set.of(permissions));
    }

    /** Logs {@code user} in on this thread (an authenticated user with no authorities of its own). */
    public static Authentication login(String user) {
        Authentication a = new UsernamePasswordAuthenticationToken(user, "", AuthorityUtils.NO_AUTHORITIES);
        SecurityContextHolder.getContext().setAuthentication(a);
        return a;
    }

    /** Forgets every grant and logs out (anonymous). */
    public static void clear() {
        GRANTS.clear();
        SecurityContextHolder.clearContext();
    }

    /** Used by the stubs' getACL(): grants on this object, then on Jenkins (global ones). */
    public static ACL aclOf(AccessControlled on) {
        Object self = key(on);
        return new ACL() {
            @Override
            public boolean hasPermission2(Authentication a, Permission permission) {
                for (Permission p = permission; p != null; p = p.impliedBy) {
                    if (granted(self, a.getName(), p) || granted(key(Jenkins.get()), a.getName(), p)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    private static boolean granted(Object on, String user, Permission p) {
        return GRANTS.getOrDefault(on, Map.of()).getOrDefault(user, Set.of()).contains(p);
    }

    private static Object key(AccessControlled on) {
        return on instanceof hudson.model.Item item ? "item:" + item.getFullName() : "jenkins";
    }
}
