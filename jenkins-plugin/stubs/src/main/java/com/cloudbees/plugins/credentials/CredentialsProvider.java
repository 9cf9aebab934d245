package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import dev.gatekeeper.jenkins.stubs.StubCredentials;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.util.ListBoxModel;
import java.text.Collator;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.springframework.security.core.Authentication;

/**
 * Stub of the Credentials plugin's CredentialsProvider: only the static look-up and tracking a step uses. Look-ups
 * read the test registry {@link StubCredentials}; track() records what was tracked so a test can assert it.
 */
public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {

    public static final PermissionGroup GROUP = new PermissionGroup(CredentialsProvider.class);

    /** Selecting a credential of the job's scope for the job; implied by Job/Configure (Item.CONFIGURE), as real. */
    public static final Permission USE_ITEM = new Permission(GROUP, "UseItem", Item.CONFIGURE);

    public CredentialsProvider() {
        super(CredentialsProvider.class);
    }

    @Override
    public Descriptor<CredentialsProvider> getDescriptor() {
        return this;
    }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run) {
        return findCredentialById(id, type, run, List.of());
    }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run,
            DomainRequirement... domainRequirements) {
        return findCredentialById(id, type, run, Arrays.asList(domainRequirements));
    }

    /** Null when no credentials of that type have that id, as in Jenkins; the id is trimmed as there. */
    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run,
            List<DomainRequirement> domainRequirements) {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        Objects.requireNonNull(run);
        return StubCredentials.find(id.trim(), type);
    }

    /** The real signature takes a raw Run. */
    @SuppressWarnings("rawtypes")
    public static <C extends Credentials> C track(Run build, C credentials) {
        if (credentials != null) {
            StubCredentials.tracked(build, credentials);
        }
        return credentials;
    }

    /**
     * The ids (and display names) of the credentials of {@code type} that {@code matcher} accepts, sorted by display
     * name, as the real one answers for a job's context. The stub reads {@link StubCredentials}; it does not model
     * credentials scopes, stores or domains (every stored credential is visible to every item and authentication).
     */
    public static <C extends IdCredentials> ListBoxModel listCredentialsInItem(Class<C> type, Item item,
            Authentication authentication, List<DomainRequirement> domainRequirements, CredentialsMatcher matcher) {
        Objects.requireNonNull(type);
        CredentialsMatcher m = matcher == null ? CredentialsMatchers.always() : matcher;
        ListBoxModel result = new ListBoxModel();
        for (IdCredentials c : StubCredentials.all()) {
            if (type.isInstance(c) && m.matches(c)) {
                result.add(new ListBoxModel.Option(StubCredentials.name(c), c.getId()));
            }
        }
        Collator collator = Collator.getInstance();
        result.sort(Comparator.comparing(o -> o.name, collator));
        return result;
    }
}
