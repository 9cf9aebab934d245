package dev.gatekeeper.jenkins;

import java.beans.Introspector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jenkinsci.plugins.structs.describable.CustomDescribableModel;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * How Pipeline turns named arguments into a step and a step back into arguments, replicated from the real sources
 * for the unit build (the real classes are not on Maven Central), so the tests bind our classes exactly as Jenkins
 * would:
 * <ul>
 *   <li>parameter names: Stapler's {@code ClassDescriptor.loadConstructorParamNames} (jenkinsci/stapler
 *       {@code core/src/main/java/org/kohsuke/stapler/ClassDescriptor.java}): the class file's MethodParameters
 *       attribute through reflection when every name is present (javac {@code -parameters}), else the debug
 *       information (LocalVariableTable, read here with ASM as Stapler's BytecodeReadingParanamer does), else the
 *       {@code .stapler} resource its annotation processor writes; the count must match the constructor's;</li>
 *   <li>binding: structs' {@code DescribableModel} (jenkinsci/structs-plugin
 *       {@code src/main/java/org/jenkinsci/plugins/structs/describable/DescribableModel.java}): the descriptor's
 *       {@code CustomDescribableModel.customInstantiate} first, the anonymous sole argument, unknown names refused
 *       (its STRICT_PARAMETER_CHECKING, on in Jenkins' own tests; a running Jenkins only logs a warning), the
 *       {@code @DataBoundConstructor} called with its named arguments coerced to the declared generic types (a
 *       list element map becomes the element type's describable, a string a number or boolean), then every
 *       {@code @DataBoundSetter} given, constructor parameters first and setters in alphabetical order;</li>
 *   <li>uninstantiation ({@code DescribableModel.uninstantiate2}): getters (or {@code is…}), nested describables
 *       as maps, and every setter value equal to a control instance's (built from the constructor arguments alone)
 *       left out;</li>
 *   <li>the step call: workflow-cps {@code DSL.parseArgs} (a lone positional argument is the sole constructor
 *       parameter's) and {@code Snippetizer.object2Groovy} (the text the Snippet Generator shows).</li>
 * </ul>
 */
final class PipelineModel {
    static final String ANONYMOUS_KEY = UninstantiatedDescribable.ANONYMOUS_KEY;

    private PipelineModel() {}

    // ---- parameter names, as Stapler reads them ------------------------------------------------------------------

    static Constructor<?> dataBoundConstructor(Class<?> c) {
        for (Constructor<?> k : c.getConstructors()) {
            if (k.isAnnotationPresent(DataBoundConstructor.class)) {
                return k;
            }
        }
        throw new AssertionError("There's no @DataBoundConstructor on any constructor of " + c);
    }

    static String[] constructorParamNames(Class<?> c) {
        Constructor<?> dbc = dataBoundConstructor(c);
        String[] names = reflectionNames(dbc);
        if (names == null) {
            names = debugInfoNames(dbc);
        }
        if (names != null && names.length == dbc.getParameterCount()) {
            return names;
        }
        String resource = c.getName().replace('.', '/').replace('$', '/') + ".stapler";
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("constructor");
                return v.isEmpty() ? new String[0] : v.split(",");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Unable to load " + resource, e);
        }
        throw new AssertionError("Unable to find " + resource + " (no -parameters, no debug information)");
    }

    /** {@code ClassDescriptor.loadParameterNamesFromReflection}: all names present, or null. */
    static String[] reflectionNames(Executable m) {
        Parameter[] ps = m.getParameters();
        for (Parameter p : ps) {
            if (!p.isNamePresent()) {
                return null;
            }
        }
        return java.util.Arrays.stream(ps).map(Parameter::getName).toArray(String[]::new);
    }

    /** The LocalVariableTable of the constructor or method: the names of the slots its parameters occupy. */
    static String[] debugInfoNames(Executable m) {
        String owner = m.getDeclaringClass().getName().replace('.', '/') + ".class";
        String name = m instanceof Constructor<?> ? "<init>" : m.getName();
        String desc = m instanceof Constructor<?> k ? org.objectweb.asm.Type.getConstructorDescriptor(k)
                : org.objectweb.asm.Type.getMethodDescriptor((Method) m);
        boolean isStatic = Modifier.isStatic(m.getModifiers());
        Map<Integer, String> bySlot = new TreeMap<>();
        try (InputStream in = m.getDeclaringClass().getClassLoader().getResourceAsStream(owner)) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String n, String d, String sig, String[] ex) {
                    if (!n.equals(name) || !d.equals(desc)) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitLocalVariable(String var, String vd, String vs, Label start, Label end,
                                int index) {
                            bySlot.putIfAbsent(index, var);
                        }
                    };
                }
            }, 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> names = new ArrayList<>();
        int slot = isStatic ? 0 : 1;
        for (Class<?> t : m.getParameterTypes()) {
            String n = bySlot.get(slot);
            if (n == null) {
                return null;
            }
            names.add(n);
            slot += t == long.class || t == double.class ? 2 : 1;
        }
        return names.toArray(String[]::new);
    }

    // ---- the model ---------------------------------------------------------------------------------------------

    record Param(String name, Type type, Method setter) {
        boolean required() {
            return setter == null;
        }
    }

    /** Constructor parameters in order, then {@code @DataBoundSetter} properties alphabetically. */
    static List<Param> parameters(Class<?> c) {
        List<Param> out = new ArrayList<>();
        Constructor<?> k = dataBoundConstructor(c);
        String[] names = constructorParamNames(c);
        Type[] types = k.getGenericParameterTypes();
        for (int i = 0; i < names.length; i++) {
            out.add(new Param(names[i], types[i], null));
        }
        Map<String, Param> rest = new TreeMap<>();
        for (Class<?> x = c; x != null; x = x.getSuperclass()) {
            for (Method m : x.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    if (!m.getName().startsWith("set") || m.getParameterCount() != 1) {
                        throw new IllegalStateException(m + " cannot be a @DataBoundSetter");
                    }
                    String n = Introspector.decapitalize(m.getName().substring(3));
                    rest.put(n, new Param(n, m.getGenericParameterTypes()[0], m));
                }
            }
        }
        out.addAll(rest.values());
        return out;
    }

    static <T> T instantiate(Class<T> type, Map<String, ?> given) {
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = new LinkedHashMap<>((Map<String, Object>) given);
        CustomDescribableModel cdm = CustomDescribableModel.of(type);
        if (cdm != null) {
            arguments = cdm.customInstantiate(java.util.Collections.unmodifiableMap(arguments));
        }
        List<Param> params = parameters(type);
        if (arguments.containsKey(ANONYMOUS_KEY)) {
            if (arguments.size() != 1) {
                throw new IllegalArgumentException("All arguments have to be named but it has " + ANONYMOUS_KEY);
            }
            List<Param> required = params.stream().filter(Param::required).toList();
            if (required.size() != 1) {
                throw new IllegalArgumentException("Arguments to " + type + " have to be explicitly named");
            }
            arguments = Map.of(required.get(0).name(), arguments.get(ANONYMOUS_KEY));
        }
        Set<String> unknown = new TreeSet<>(arguments.keySet());
        params.forEach(p -> unknown.remove(p.name()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("WARNING: Unknown parameter(s) found for class type '" + type.getName()
                    + "': " + String.join(",", unknown));
        }
        try {
            List<Object> args = new ArrayList<>();
            for (Param p : params) {
                if (p.required()) {
                    Object a = arguments.get(p.name());
                    Class<?> raw = erasure(p.type());
                    args.add(a != null ? coerce(type.getName() + "." + p.name(), p.type(), a)
                            : raw.isPrimitive() ? primitiveDefault(raw) : null);
                }
            }
            T o = type.cast(dataBoundConstructor(type).newInstance(args.toArray()));
            for (Param p : params) {
                if (!p.required() && arguments.containsKey(p.name())) {
                    p.setter().invoke(o, coerce(p.setter().toString(), p.type(), arguments.get(p.name())));
                }
            }
            return o;
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Could not instantiate " + arguments + " for " + type.getName() + ": "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("Could not instantiate " + arguments + " for " + type.getName() + ": "
                    + e, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object coerce(String context, Type type, Object o) throws ReflectiveOperationException {
        Class<?> erased = erasure(type);
        if (o instanceof CharSequence cs && !(o instanceof String)) {
            o = cs.toString(); // a GString
        }
        if (o instanceof List<?> list && Collection.class.isAssignableFrom(erased)) {
            Type element = type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
            List<Object> r = new ArrayList<>();
            for (Object e : list) {
                r.add(coerce(context, element, e));
            }
            return r;
        } else if (o == null || wrap(erased).isInstance(o)) {
            return o;
        } else if (o instanceof UninstantiatedDescribable ud) {
            return instantiate(resolveClass(erased, ud.getKlass()), ud.getArguments());
        } else if (o instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> m.put((String) k, v));
            return instantiate(resolveClass(erased, (String) m.remove("$class")), m);
        } else if (o instanceof String s && erased.isEnum()) {
            return Enum.valueOf((Class) erased, s);
        } else if (o instanceof String s && Number.class.isAssignableFrom(wrap(erased))) {
            try {
                return wrap(erased).getMethod("valueOf", String.class).invoke(null, s);
            } catch (InvocationTargetException e) {
                throw new ClassCastException(context + " expects " + wrap(erased)
                        + " but was unable to coerce the received value \"" + s + "\" to that type");
            }
        } else if (o instanceof String s && wrap(erased) == Boolean.class) {
            return Boolean.valueOf(s);
        }
        throw new ClassCastException(context + " expects " + type + " but received " + o.getClass());
    }

    private static Class<?> resolveClass(Class<?> base, String name) throws ClassNotFoundException {
        if (name != null) {
            return Class.forName(name.contains(".") ? name : base.getPackageName() + "." + name);
        }
        if (Modifier.isAbstract(base.getModifiers())) {
            throw new UnsupportedOperationException("must specify $class with an implementation of " + base);
        }
        return base;
    }

    // ---- back to arguments ---------------------------------------------------------------------------------------

    static UninstantiatedDescribable uninstantiate(Object o) {
        Class<?> type = o.getClass();
        Map<String, Object> r = new TreeMap<>();
        Map<String, Object> constructorOnly = new TreeMap<>();
        List<Param> params = parameters(type);
        for (Param p : params) {
            Object v = inspect(o, p);
            if (p.required() && v == null) {
                continue;
            }
            r.put(p.name(), v);
            if (p.required()) {
                constructorOnly.put(p.name(), v);
            }
        }
        Object control = instantiate(type, constructorOnly);
        for (Param p : params) {
            if (!p.required() && Objects.equals(inspect(control, p), r.get(p.name()))) {
                r.remove(p.name());
            }
        }
        UninstantiatedDescribable ud = new UninstantiatedDescribable(null, null, r);
        CustomDescribableModel cdm = CustomDescribableModel.of(type);
        return cdm == null ? ud : cdm.customUninstantiate(ud);
    }

    private static Object inspect(Object o, Param p) {
        String cap = Character.toUpperCase(p.name().charAt(0)) + p.name().substring(1);
        Object v;
        try {
            Method getter;
            try {
                getter = o.getClass().getMethod("get" + cap);
            } catch (NoSuchMethodException e) {
                getter = o.getClass().getMethod("is" + cap);
            }
            v = getter.invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("no public field ‘" + p.name() + "’ (or getter method) found in "
                    + o.getClass());
        }
        return uncoerce(v);
    }

    private static Object uncoerce(Object v) {
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Collection<?> c) {
            List<Object> list = new ArrayList<>();
            c.forEach(e -> list.add(uncoerce(e)));
            return list;
        }
        if (v != null && !v.getClass().getName().startsWith("java.")) {
            // a data-bound struct of exactly the declared (concrete) type: no $class, as HomogeneousObjectType
            return uninstantiate(v);
        }
        return v;
    }

    // ---- the step call -------------------------------------------------------------------------------------------

    /** {@code DSL.parseArgs}: Groovy's packed call arguments (named ones a Map first; a closure last) to named ones. */
    static Map<String, Object> namedArguments(StepDescriptor d, List<Object> groovyArgs) {
        List<Param> params = parameters(d.clazz);
        boolean singleArgumentOnly = params.size() == 1 && params.get(0).required();
        String[] ctor = constructorParamNames(d.clazz);
        String soleArgumentKey = singleArgumentOnly ? params.get(0).name() : ctor.length == 1 ? ctor[0] : null;
        List<Object> a = new ArrayList<>(groovyArgs);
        if (!a.isEmpty() && a.get(a.size() - 1) == Jenkinsfiles.BLOCK) {
            if (!d.takesImplicitBlockArgument()) {
                throw new IllegalArgumentException(d.getFunctionName() + " takes no block");
            }
            a.remove(a.size() - 1);
        } else if (d.takesImplicitBlockArgument()) {
            throw new IllegalStateException(d.getFunctionName() + " step must be called with a body");
        }
        if (a.size() == 1 && a.get(0) instanceof Map<?, ?> map && !map.containsKey("$class")) {
            if (!singleArgumentOnly || (soleArgumentKey != null && map.size() == 1
                    && map.containsKey(soleArgumentKey))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> named = (Map<String, Object>) map;
                return named;
            }
        }
        switch (a.size()) {
            case 0:
                return Map.of();
            case 1:
                if (soleArgumentKey == null) {
                    throw new IllegalArgumentException("Expected named arguments but got " + a.get(0));
                }
                return Map.of(soleArgumentKey, a.get(0));
            default:
                throw new IllegalArgumentException("Expected named arguments but got " + a);
        }
    }

    /** {@code Snippetizer.object2Groovy} for a step: the text the Snippet Generator shows for it. */
    static String step2Groovy(StepDescriptor d, Object step) {
        UninstantiatedDescribable ud = uninstantiate(step);
        Map<String, ?> args = ud.getArguments();
        boolean block = d.takesImplicitBlockArgument();
        boolean single = args.size() == 1;
        boolean needParenthesis = (block ^ args.isEmpty())
                || (single && args.values().iterator().next() instanceof Map)
                || (single && args.values().iterator().next() instanceof List);
        StringBuilder b = new StringBuilder(d.getFunctionName()).append(needParenthesis ? '(' : ' ');
        List<Param> required = parameters(d.clazz).stream().filter(Param::required).toList();
        if (single && required.size() == 1 && args.containsKey(required.get(0).name())) {
            groovy(b, args.values().iterator().next());
        } else {
            mapWithoutBracket(b, args);
        }
        if (needParenthesis) {
            b.append(')');
        }
        if (block) {
            if (!args.isEmpty()) {
                b.append(' ');
            }
            b.append("{\n    // some block\n}");
        }
        return b.toString();
    }

    private static void groovy(StringBuilder b, Object o) {
        if (o == null) {
            b.append("null");
        } else if (o instanceof String s) {
            String q = s.contains("\n") ? "'''" : "'";
            b.append(q).append(s.replace("\\", "\\\\").replace("'", "\\'")).append(q);
        } else if (o instanceof Boolean || o instanceof Number) {
            b.append(o);
        } else if (o instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ", ");
                groovy(b, l.get(i));
            }
            b.append(']');
        } else if (o instanceof Map<?, ?> m) {
            b.append('[');
            mapWithoutBracket(b, m);
            b.append(']');
        } else if (o instanceof UninstantiatedDescribable ud) {
            // no symbol: written as a map ([$class: …] only when a class name is needed)
            Map<String, Object> shallow = new TreeMap<>(ud.getArguments());
            if (ud.getKlass() != null) {
                shallow.put("$class", ud.getKlass());
            }
            groovy(b, shallow);
        } else {
            b.append("<object of type ").append(o.getClass().getCanonicalName()).append('>');
        }
    }

    private static void mapWithoutBracket(StringBuilder b, Map<?, ?> m) {
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            b.append(first ? "" : ", ");
            first = false;
            if (e.getKey() instanceof String k && javax.lang.model.SourceVersion.isName(k)) {
                b.append(k);
            } else {
                groovy(b, e.getKey());
            }
            b.append(": ");
            groovy(b, e.getValue());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static Class<?> erasure(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType pt) {
            return (Class<?>) pt.getRawType();
        }
        return Object.class;
    }

    private static Class<?> wrap(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return c == int.class ? Integer.class : c == boolean.class ? Boolean.class : c == long.class ? Long.class
                : c == double.class ? Double.class : c == float.class ? Float.class : c == short.class ? Short.class
                : c == byte.class ? Byte.class : Character.class;
    }

    private static Object primitiveDefault(Class<?> c) {
        return c == boolean.class ? Boolean.FALSE : c == long.class ? 0L : c == double.class ? 0d
                : c == float.class ? 0f : c == short.class ? (short) 0 : c == byte.class ? (byte) 0 : 0;
    }
}
