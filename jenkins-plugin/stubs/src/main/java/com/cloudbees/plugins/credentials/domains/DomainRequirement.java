package com.cloudbees.plugins.credentials.domains;

import java.io.Serializable;

/** Stub of the Credentials plugin's DomainRequirement (the plugin passes none). */
public class DomainRequirement implements Serializable {
    private static final long serialVersionUID = 1L;

    public DomainRequirement() {
    }
}
