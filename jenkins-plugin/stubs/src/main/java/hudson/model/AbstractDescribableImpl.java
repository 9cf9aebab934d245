package hudson.model;

import java.lang.reflect.Constructor;

/**
 * Stub of Jenkins core's AbstractDescribableImpl. Jenkins looks the descriptor up in its registry; the stub
 * instantiates the Descriptor subclass nested in the described class (the @Extension DescriptorImpl convention).
 */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {

    @Override
    @SuppressWarnings("unchecked")
    public Descriptor<T> getDescriptor() {
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
