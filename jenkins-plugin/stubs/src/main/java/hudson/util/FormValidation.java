package hudson.util;

/**
 * Stub of Jenkins core's FormValidation: what a doCheck… method answers. The kind and the message as Jenkins keeps
 * them; {@link #renderHtml()} answers the escaped message as Jenkins does outside a request.
 */
public abstract class FormValidation extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        OK,
        WARNING,
        ERROR
    }

    public final Kind kind;

    private FormValidation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    private static final FormValidation OK = new FormValidation(Kind.OK, null) {
        private static final long serialVersionUID = 1L;

        @Override
        public String renderHtml() {
            return "<div/>";
        }
    };

    public static FormValidation ok() {
        return OK;
    }

    /** {@code error(null)} is {@code ok()}, as in Jenkins. */
    public static FormValidation error(String message) {
        return withMessage(Kind.ERROR, message);
    }

    public static FormValidation warning(String message) {
        return withMessage(Kind.WARNING, message);
    }

    public static FormValidation ok(String message) {
        return withMessage(Kind.OK, message);
    }

    public abstract String renderHtml();

    private static FormValidation withMessage(Kind kind, String message) {
        if (message == null) {
            return ok();
        }
        String escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#039;");
        return new FormValidation(kind, escaped) {
            private static final long serialVersionUID = 1L;

            @Override
            public String renderHtml() {
                return escaped;
            }

            @Override
            public String toString() {
                return kind + ": " + escaped;
            }
        };
    }
}
