package org.jenkinsci.plugins.structs.describable;

import hudson.model.Describable;
import hudson.model.Descriptor;
import java.lang.reflect.Constructor;
import java.util.Map;

/**
 * Stub of the structs plugin's CustomDescribableModel: a Descriptor that implements it may translate the arguments
 * DescribableModel instantiates from (Pipeline's named arguments) and the arguments it uninstantiates to.
 */
public interface CustomDescribableModel {

    default Map<String, Object> customInstantiate(Map<String, Object> arguments) {
        return arguments;
    }

    default UninstantiatedDescribable customUninstantiate(UninstantiatedDescribable ud) {
        return ud;
    }

    /**
     * The descriptor of {@code type} if it implements this interface. Real: {@code Jenkins.getDescriptor(type)}; the
     * stub instantiates the Descriptor nested in the class, as the stub Describable#getDescriptor does.
     */
    static CustomDescribableModel of(Class<?> type) {
        if (Describable.class.isAssignableFrom(type)) {
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (Descriptor.class.isAssignableFrom(nested) && CustomDescribableModel.class.isAssignableFrom(nested)) {
                    try {
                        Constructor<?> c = nested.getDeclaredConstructor();
                        c.setAccessible(true);
                        return (CustomDescribableModel) c.newInstance();
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot instantiate " + nested.getName(), e);
                    }
                }
            }
        }
        return null;
    }
}
