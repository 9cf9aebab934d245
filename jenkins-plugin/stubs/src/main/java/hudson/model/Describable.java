package hudson.model;

/** Stub of Jenkins core's Describable. */
public interface Describable<T extends Describable<T>> {
    Descriptor<T> getDescriptor();
}
