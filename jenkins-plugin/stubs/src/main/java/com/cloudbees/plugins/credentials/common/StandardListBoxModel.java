package com.cloudbees.plugins.credentials.common;

import dev.gatekeeper.jenkins.stubs.StubCredentials;

/** Stub of the Credentials plugin's StandardListBoxModel. */
public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {
    private static final long serialVersionUID = 1L;

    /** Real: CredentialsNameProvider.name(c); here StandardCredentials.NameProvider's rule, "id (description)". */
    @Override
    protected String describe(StandardCredentials c) {
        return StubCredentials.name(c);
    }
}
