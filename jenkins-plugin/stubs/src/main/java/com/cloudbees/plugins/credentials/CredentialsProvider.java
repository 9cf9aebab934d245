package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import dev.gatekeeper.jenkins.stubs.StubCredentials;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Run;

/**
 * Stub of the Credentials plugin's CredentialsProvider: only the two static methods a step uses. Look-ups read the
 * test registry {@link StubCredentials}; track() records what was tracked so a test can assert it.
 */
public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {

    protected CredentialsProvider() {
        super();
    }

    @Override
    public Descriptor<CredentialsProvider> getDescriptor() {
        return this;
    }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run,
            DomainRequirement... domainRequirements) {
        return StubCredentials.find(id, type);
    }

    public static <C extends Credentials> C track(Run build, C credentials) {
        if (credentials != null) {
            StubCredentials.tracked(credentials);
        }
        return credentials;
    }
}
