package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

/** Stub of the Plain Credentials plugin's StringCredentials ("secret text"). */
public interface StringCredentials extends StandardCredentials {
    Secret getSecret();
}
