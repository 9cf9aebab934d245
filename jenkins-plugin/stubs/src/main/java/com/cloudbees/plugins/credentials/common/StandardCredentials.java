package com.cloudbees.plugins.credentials.common;

/** Stub of the Credentials plugin's StandardCredentials. */
public interface StandardCredentials extends IdCredentials {
    String getDescription();
}
