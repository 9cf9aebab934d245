package hudson.model;

import java.lang.reflect.Constructor;

/** Stub of Jenkins core's Describable. */
public interface Describable<T extends Describable<T>> {

    /**
     * Jenkins looks the descriptor up in its registry; the stub instantiates the Descriptor subclass nested in the
     * described class (the {@code @Extension public static final class DescriptorImpl} convention).
     */
    @SuppressWarnings("unchecked")
    default Descriptor<T> getDescriptor() {
        for (Class<?> nested : getClass().getDeclaredClasses()) {
            if (Descriptor.class.isAssignableFrom(nested)) {
                try {
                    Constructor<?> c = nested.getDeclaredConstructor();
                    c.setAccessible(true);
                    return (Descriptor<T>) c.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot instantiate " + nested.getName(), e);
                }
            }
        }
        throw new IllegalStateException("no Descriptor nested in " + getClass().getName());
    }
}
