package hudson;

/** Stub of Jenkins core's ExtensionPoint marker interface. */
public interface ExtensionPoint {
}
