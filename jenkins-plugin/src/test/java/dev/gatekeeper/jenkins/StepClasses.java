package dev.gatekeeper.jenkins;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** The plugin's step classes and the parameter names Jenkins binds (as Stapler sees them). */
final class StepClasses {
    static final List<Class<? extends Step>> ALL = List.of(VerifyPushStep.class, StabilizeStep.class,
            DriftScanStep.class, WithGatekeeperTokenStep.class);

    /** The describables the steps' lists hold. */
    static final List<Class<?>> DESCRIBABLES = List.of(Probe.class, ProbeHeader.class, Checkout.class,
            BareRepository.class, GitHubRepository.class);

    /** Every class Jenkins data-binds: the steps and their list entries. */
    static final List<Class<?>> DATA_BOUND = java.util.stream.Stream.concat(ALL.stream(), DESCRIBABLES.stream())
            .toList();

    private StepClasses() {}

    /** The class's descriptor: its nested DescriptorImpl, as Jenkins finds it through the extension index. */
    @SuppressWarnings("unchecked")
    static <D> D descriptor(Class<?> c) {
        try {
            var k = Class.forName(c.getName() + "$DescriptorImpl").getDeclaredConstructor();
            return (D) k.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(c + " has no DescriptorImpl", e);
        }
    }

    /**
     * The {@code doCheck…}/{@code doFill…} methods of {@code c}'s descriptor: its own and those its abstract parents
     * in this plugin share (Jenkins finds inherited ones by name too).
     */
    static List<Method> webMethods(Class<?> c) {
        List<Method> out = new ArrayList<>();
        for (Class<?> k = descriptor(c).getClass(); k != null && k.getName().startsWith("dev.gatekeeper.jenkins.");
                k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().startsWith("doCheck") || m.getName().startsWith("doFill")) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    static Constructor<?> dataBoundConstructor(Class<?> c) {
        List<Constructor<?>> found = Arrays.stream(c.getConstructors())
                .filter(k -> k.isAnnotationPresent(DataBoundConstructor.class)).toList();
        if (found.size() != 1) {
            throw new AssertionError(c.getSimpleName() + " needs exactly one public @DataBoundConstructor");
        }
        return found.get(0);
    }

    /** Constructor parameters first, then every @DataBoundSetter property, in declaration order. */
    static List<String> parameters(Class<?> c) {
        List<String> out = new ArrayList<>();
        for (Parameter p : dataBoundConstructor(c).getParameters()) {
            if (!p.isNamePresent()) {
                throw new AssertionError("compile with -parameters: " + c.getSimpleName());
            }
            out.add(p.getName());
        }
        for (Method m : c.getDeclaredMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                if (!Modifier.isPublic(m.getModifiers()) || !m.getName().startsWith("set")
                        || m.getParameterCount() != 1) {
                    throw new AssertionError(c.getSimpleName() + "." + m.getName() + " is not a public setter");
                }
                out.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        return out;
    }
}
