package hudson.util;

import java.io.Serializable;

/** Stub of Jenkins core's Secret, unencrypted. */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public String getPlainText() {
        return value;
    }

    public static Secret fromString(String data) {
        return new Secret(data == null ? "" : data);
    }

    public static String toString(Secret s) {
        return s == null ? "" : s.value;
    }

    /** As in Jenkins (deprecated there): the plain text, so a test catches a secret that is concatenated into a log. */
    @Override
    @Deprecated
    public String toString() {
        return value;
    }
}
