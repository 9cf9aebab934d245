package org.jenkinsci.plugins.structs.describable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Stub of the structs plugin's UninstantiatedDescribable: a describable as a symbol or class name and a map of
 * arguments (what uninstantiation gives and instantiation takes). The model link and instantiate() are omitted.
 */
public class UninstantiatedDescribable implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String ANONYMOUS_KEY = "<anonymous>";

    private String symbol;
    private String klass;
    private final Map<String, ?> arguments;

    public UninstantiatedDescribable(String symbol, String klass, Map<String, ?> arguments) {
        this.symbol = symbol;
        this.klass = klass;
        this.arguments = arguments;
    }

    public UninstantiatedDescribable(Map<String, ?> arguments) {
        this(null, null, arguments);
    }

    public UninstantiatedDescribable withArguments(Map<String, ?> arguments) {
        return new UninstantiatedDescribable(symbol, klass, arguments);
    }

    public String getSymbol() {
        return symbol;
    }

    public void setSymbol(String symbol) {
        this.symbol = symbol;
    }

    public String getKlass() {
        return klass;
    }

    public void setKlass(String klass) {
        this.klass = klass;
    }

    public Map<String, ?> getArguments() {
        return arguments;
    }

    /** Nested describables (and lists of them) as maps, {@code $class} added when a class name is known. */
    public Map<String, Object> toMap() {
        Map<String, Object> r = new TreeMap<>(arguments);
        if (klass != null) {
            r.put("$class", klass);
        }
        for (Map.Entry<String, ?> e : arguments.entrySet()) {
            Object v = toMap(e.getValue());
            if (v instanceof List<?> l) {
                List<Object> copy = new ArrayList<>(l.size());
                for (Object o : l) {
                    copy.add(toMap(o));
                }
                v = copy;
            }
            r.put(e.getKey(), v);
        }
        return r;
    }

    private static Object toMap(Object v) {
        return v instanceof UninstantiatedDescribable ud ? ud.toMap() : v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UninstantiatedDescribable that && o.getClass() == getClass()
                && Objects.equals(symbol, that.symbol) && Objects.equals(klass, that.klass)
                && arguments.equals(that.arguments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(symbol, klass, arguments);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (symbol != null) {
            b.append('@').append(symbol);
        }
        if (klass != null) {
            b.append('$').append(klass);
        }
        b.append('(');
        boolean first = true;
        for (Map.Entry<String, ?> e : arguments.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.append(')').toString();
    }
}
