package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;

/**
 * What Jenkins would discover in this plugin. Jenkins finds extensions only through sezpoz's index
 * {@code META-INF/annotations/hudson.Extension}, which javac's sezpoz processor writes for {@code @Indexable}
 * annotations (Jenkins core's {@code @Extension} is one): ExtensionFinder.Sezpoz and GuiceFinder (jenkinsci/jenkins
 * {@code core/src/main/java/hudson/ExtensionFinder.java}) both call {@code Index.load(Extension.class, Object.class,
 * uberClassLoader)}, take each item's element (a class, or a field's or method's type) as the extension's type, keep
 * the items assignable to the type asked for, and call {@code item.instance()}. This test does the same, with the
 * same sezpoz, over the class path the plugin's classes are on.
 */
class ExtensionIndexTest {
    static final Path CLASSES = Path.of("target/classes");

    record Found(Class<?> type, Object instance, Extension annotation) {}

    /** {@code ExtensionFinder.Sezpoz._find(type, Index.load(…))}, failures included rather than logged. */
    static List<Found> find(Class<?> type) throws Exception {
        List<Found> out = new ArrayList<>();
        ClassLoader loader = ExtensionIndexTest.class.getClassLoader();
        for (IndexItem<Extension, Object> item : Index.load(Extension.class, Object.class, loader)) {
            AnnotatedElement e = item.element();
            Class<?> extType = e instanceof Class<?> c ? c : e instanceof Field f ? f.getType()
                    : ((Method) e).getReturnType();
            if (type.isAssignableFrom(extType)) {
                out.add(new Found(extType, item.instance(), item.annotation()));
            }
        }
        return out;
    }

    /** Every concrete Descriptor subclass the build compiled, found from the class files, not from a list. */
    static Set<String> compiledDescriptors() throws IOException, ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String name = CLASSES.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, ExtensionIndexTest.class.getClassLoader());
                if (Descriptor.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                    names.add(c.getName());
                }
            }
        }
        return names;
    }

    @Test
    void theBuildWroteTheIndexAndItListsEveryDescriptorTheBuildCompiled() throws Exception {
        assertTrue(Files.size(CLASSES.resolve("META-INF/annotations/hudson.Extension")) > 0, "the binary index");
        Set<String> indexed = new TreeSet<>();
        for (Found f : find(Descriptor.class)) {
            indexed.add(f.type().getName());
            assertEquals(f.type(), f.instance().getClass(), "instantiated as Jenkins does: " + f.type());
            assertEquals(0.0, f.annotation().ordinal(), f.type().getName());
        }
        Set<String> compiled = compiledDescriptors();
        assertEquals(9, compiled.size(), "4 steps and 5 list entries: " + compiled);
        assertEquals(compiled, indexed);
        Set<String> everything = new TreeSet<>();
        find(Object.class).forEach(f -> everything.add(f.type().getName()));
        assertEquals(compiled, everything, "nothing but the descriptors is an extension");
    }

    @Test
    void jenkinsFindsTheFourStepsByTheirFunctionNames() throws Exception {
        Map<String, Class<?>> steps = new TreeMap<>();
        for (Found f : find(StepDescriptor.class)) {
            StepDescriptor d = (StepDescriptor) f.instance();
            steps.put(d.getFunctionName(), d.clazz);
        }
        assertEquals(Map.of("gatekeeperDriftScan", DriftScanStep.class, "gatekeeperStabilize", StabilizeStep.class,
                "gatekeeperVerifyPush", VerifyPushStep.class, "withGatekeeperToken", WithGatekeeperTokenStep.class),
                steps);
    }

    /**
     * structs' ParameterType.of: a list entry type with exactly one registered descriptor (its own) is homogeneous,
     * so Pipeline binds {@code [url: …]} maps without {@code $class} and the Snippet Generator writes them so.
     */
    @Test
    void eachListEntryTypeHasExactlyOneDescriptorDescribingIt() throws Exception {
        List<Found> all = find(Descriptor.class);
        for (Class<?> c : StepClasses.DATA_BOUND) {
            List<Class<?>> describing = new ArrayList<>();
            for (Found f : all) {
                Class<?> clazz = ((Descriptor<?>) f.instance()).clazz;
                if (c.isAssignableFrom(clazz)) {
                    describing.add(clazz);
                }
            }
            assertEquals(List.of(c), describing, c.getName());
            assertTrue(Describable.class.isAssignableFrom(c));
            assertFalse(Modifier.isAbstract(c.getModifiers()));
        }
    }
}
