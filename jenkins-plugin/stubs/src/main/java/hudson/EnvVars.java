package hudson;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;

/** Stub of Jenkins core's EnvVars: environment variables, keys compared case-insensitively as in Jenkins. */
public class EnvVars extends TreeMap<String, String> {
    private static final long serialVersionUID = 1L;

    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    public EnvVars(Map<String, String> m) {
        this();
        putAll(m);
    }

    public EnvVars(EnvVars m) {
        this((Map<String, String>) m);
    }

    public EnvVars(String... keyValuePairs) {
        this();
        if (keyValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException(java.util.Arrays.asList(keyValuePairs).toString());
        }
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            put(keyValuePairs[i], keyValuePairs[i + 1]);
        }
    }

    /**
     * Sets {@code key}, or removes it when {@code value} is null or empty; "PATH+EXTRA" prepends to PATH with the
     * local path separator, as in Jenkins.
     */
    public void override(String key, String value) {
        if (value == null || value.isEmpty()) {
            remove(key);
            return;
        }
        int plus = key.indexOf('+');
        if (plus > 0) {
            String realKey = key.substring(0, plus);
            String old = get(realKey);
            put(realKey, old == null ? value : value + File.pathSeparatorChar + old);
            return;
        }
        put(key, value);
    }

    /** Like Jenkins, refuses null values (an environment variable cannot be null). */
    @Override
    public String put(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("Null value not allowed as an environment variable: " + key);
        }
        return super.put(key, value);
    }

    public EnvVars overrideAll(Map<String, String> all) {
        for (Map.Entry<String, String> e : all.entrySet()) {
            override(e.getKey(), e.getValue());
        }
        return this;
    }
}
