package com.cloudbees.plugins.credentials;

import hudson.model.Describable;
import java.io.Serializable;

/** Stub of the Credentials plugin's Credentials. */
public interface Credentials extends Describable<Credentials>, Serializable {
}
