package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import dev.gatekeeper.jenkins.stubs.StubCredentials;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Run;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Stub of the Credentials plugin's CredentialsProvider: only the static look-up and tracking a step uses. Look-ups
 * read the test registry {@link StubCredentials}; track() records what was tracked so a test can assert it.
 */
public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {

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
}
