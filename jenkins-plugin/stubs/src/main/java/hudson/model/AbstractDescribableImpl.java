package hudson.model;

/** Stub of Jenkins core's AbstractDescribableImpl: empty since Describable#getDescriptor became a default method. */
@Deprecated(since = "2.505")
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
}
