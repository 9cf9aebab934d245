package hudson.model;

import jenkins.model.Jenkins;

/**
 * Stub of Jenkins core's Hudson (the deprecated name of the Jenkins singleton): only as the owner of the root
 * permission group, whose ids start with {@code hudson.model.Hudson.} in Jenkins.
 */
@Deprecated
public class Hudson extends Jenkins {
    private Hudson() {
    }
}
