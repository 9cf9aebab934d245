package dev.gatekeeper.jenkins.stubs;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;
import hudson.util.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Test seam, not a Jenkins class: the credentials store the stub CredentialsProvider reads. Unit tests put secret
 * text under an id; the plugin's main code never refers to this class.
 */
public final class StubCredentials {

    private static final Map<String, IdCredentials> STORE = new ConcurrentHashMap<>();
    private static final List<Credentials> TRACKED = new CopyOnWriteArrayList<>();

    private StubCredentials() {
    }

    /** Stores secret-text credentials under {@code id}, replacing any. */
    public static StringCredentials put(String id, String secretText) {
        StringCredentials c = new SecretText(id, Secret.fromString(secretText));
        STORE.put(id, c);
        return c;
    }

    /** All stored credentials (what the stub CredentialsProvider lists). */
    public static List<IdCredentials> all() {
        return new ArrayList<>(STORE.values());
    }

    /** The display name the Credentials plugin gives standard credentials: "id (description)", or the id. */
    public static String name(IdCredentials c) {
        String d = c instanceof com.cloudbees.plugins.credentials.common.StandardCredentials s ? s.getDescription()
                : null;
        return c.getId() + (d == null || d.isBlank() ? "" : " (" + d.trim() + ")");
    }

    /** Stores credentials that are not secret text (a drop-down of secret text must not offer them). */
    public static void putOther(IdCredentials c) {
        STORE.put(c.getId(), c);
    }

    /** Forgets every stored and tracked credential (call it between tests). */
    public static void clear() {
        STORE.clear();
        TRACKED.clear();
    }

    /** The credentials CredentialsProvider.track was given, in order. */
    public static List<Credentials> trackedCredentials() {
        return new ArrayList<>(TRACKED);
    }

    /** Used by the stub CredentialsProvider: the credentials with that id if they are of that type, else null. */
    public static <C extends IdCredentials> C find(String id, Class<C> type) {
        IdCredentials c = id == null ? null : STORE.get(id);
        return type.isInstance(c) ? type.cast(c) : null;
    }

    /** Used by the stub CredentialsProvider#track. */
    @SuppressWarnings("rawtypes")
    public static void tracked(Run build, Credentials c) {
        TRACKED.add(c);
    }

    private static final class SecretText implements StringCredentials {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final Secret secret;

        SecretText(String id, Secret secret) {
            this.id = id;
            this.secret = secret;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getDescription() {
            return "stub secret text " + id;
        }

        @Override
        public Secret getSecret() {
            return secret;
        }
    }
}
