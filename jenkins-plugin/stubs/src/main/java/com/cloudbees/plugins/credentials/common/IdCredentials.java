package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stub of the Credentials plugin's IdCredentials. */
public interface IdCredentials extends Credentials {
    String getId();
}
