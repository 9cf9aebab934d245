package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import java.util.Objects;

/** Stub of the Credentials plugin's CredentialsMatchers: the three matchers the plugin uses, as the real ones. */
public class CredentialsMatchers {
    protected CredentialsMatchers() {
    }

    public static CredentialsMatcher always() {
        return item -> true;
    }

    /** Real: an InstanceOfMatcher. */
    @SuppressWarnings("rawtypes")
    public static CredentialsMatcher instanceOf(Class clazz) {
        Objects.requireNonNull(clazz);
        return clazz::isInstance;
    }

    /** Real: an IdMatcher, true for IdCredentials whose id equals {@code id}. */
    public static CredentialsMatcher withId(String id) {
        Objects.requireNonNull(id);
        return item -> item instanceof IdCredentials c && id.equals(c.getId());
    }
}
