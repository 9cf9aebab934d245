package com.cloudbees.plugins.credentials;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.io.Serializable;

/** Stub of the Credentials plugin's Credentials (getScope, getDescriptor's CredentialsDescriptor and forRun omitted). */
public interface Credentials extends Describable<Credentials>, Serializable, ExtensionPoint {
}
