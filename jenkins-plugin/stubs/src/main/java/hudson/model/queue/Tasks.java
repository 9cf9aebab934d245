package hudson.model.queue;

import hudson.model.Queue;
import hudson.security.ACL;
import org.springframework.security.core.Authentication;

/** Stub of Jenkins core's Tasks: the authentication a task runs as. */
public class Tasks {
    private Tasks() {
    }

    /**
     * Jenkins asks each QueueItemAuthenticator (the Authorize Project plugin is one), and without one uses the task's
     * default authentication, which for a job is {@link ACL#SYSTEM2}. The stub has no authenticators.
     */
    public static Authentication getAuthenticationOf2(Queue.Task t) {
        return ACL.SYSTEM2;
    }
}
