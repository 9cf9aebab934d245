package hudson.model;

/** Stub of Jenkins core's Descriptor: metadata about a Describable class, a singleton per class. */
public abstract class Descriptor<T extends Describable<T>> {

    public final transient Class<? extends T> clazz;

    protected Descriptor(Class<? extends T> clazz) {
        this.clazz = clazz;
    }

    /** As in Jenkins: the described class is the class this descriptor is nested in. */
    @SuppressWarnings("unchecked")
    protected Descriptor() {
        this.clazz = (Class<? extends T>) getClass().getEnclosingClass();
        if (clazz == null) {
            throw new AssertionError(getClass() + " doesn't have an outer class. Use the constructor that takes the Class object explicitly.");
        }
    }

    public String getDisplayName() {
        return clazz.getSimpleName();
    }
}
