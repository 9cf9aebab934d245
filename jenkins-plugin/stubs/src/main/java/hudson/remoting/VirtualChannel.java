package hudson.remoting;

/** Stub of remoting's VirtualChannel: only passed through to FileCallable#invoke (the stub FilePath passes null). */
public interface VirtualChannel {
}
