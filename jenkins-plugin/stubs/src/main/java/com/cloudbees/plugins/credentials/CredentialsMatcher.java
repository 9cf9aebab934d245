package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Stub of the Credentials plugin's CredentialsMatcher. */
public interface CredentialsMatcher extends Serializable {
    boolean matches(Credentials item);
}
