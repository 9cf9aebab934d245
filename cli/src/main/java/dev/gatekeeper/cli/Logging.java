package dev.gatekeeper.cli;

import dev.gatekeeper.io.HttpLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * What the CLI says on stderr besides its result: {@code --quiet}, the default, {@code --verbose} and
 * {@code --debug}. JGit logs through SLF4J, OkHttp (and our HTTP clients) through java.util.logging; SLF4J goes to
 * java.util.logging too (slf4j-jdk14), so one configuration decides for all, and everything goes to stderr, never
 * stdout (a {@code --json} result stays clean).
 *
 * <p>By default nothing is logged, and nothing is paid for it: SLF4J gets its no-operation provider and
 * java.util.logging is configured (off) only if something uses it. The provider is always named
 * ({@code slf4j.provider}), never searched for: the distribution's lib/ has slf4j-nop (for what runs lib/*, the
 * Action's image) and lib/logging/ the binding. The hook's jar has neither this class nor the binding.
 */
public final class Logging {
    /** How much the CLI says on stderr. */
    public enum Level {
        /** errors only: warnings, notes and progress are dropped, nothing is logged */
        QUIET,
        /** the default: warnings and progress, nothing logged */
        NORMAL,
        /** what JGit and the HTTP clients do, at INFO (one line per HTTP exchange) */
        VERBOSE,
        /** the libraries' debug logging (JGit, OkHttp, Gatekeeper's own) */
        DEBUG
    }

    static final String PROVIDER = "slf4j.provider";
    static final String JUL_PROVIDER = "org.slf4j.jul.JULServiceProvider";
    static final String NOP_PROVIDER = "org.slf4j.helpers.NOP_FallbackServiceProvider";
    /** The loggers --debug opens; the JDK's own (e.g. sun.net.www, which logs request headers) stay at INFO. */
    static final String[] DEBUGGED = {"org.eclipse.jgit", "okhttp3", "dev.gatekeeper", "org.kohsuke.github"};
    /** Debug lines that drown the others: JGit's racy-git bookkeeping writes several for every file it reads. */
    static final String[] TOO_CHATTY = {"org.eclipse.jgit.internal.storage.file.FileSnapshot"};

    private static volatile Level level = Level.NORMAL;

    private Logging() {}

    public static Level level() {
        return level;
    }

    public static boolean quiet() {
        return level == Level.QUIET;
    }

    /**
     * Chooses the level; call before JGit or OkHttp is first used (SLF4J picks its provider once). A stronger choice
     * wins over a weaker one given earlier ({@code --debug --verbose} is debug), and {@code --quiet} with either is
     * the louder one.
     */
    public static synchronized void select(Level wanted) {
        if (wanted.ordinal() < level.ordinal() && level != Level.NORMAL) {
            return;
        }
        level = wanted;
        boolean on = wanted == Level.VERBOSE || wanted == Level.DEBUG;
        // "SLF4J(I): Attempting to load provider ... specified via slf4j.provider" is an INFO of SLF4J's own
        System.setProperty("slf4j.internal.verbosity", "WARN");
        if (!on) {
            System.setProperty(PROVIDER, NOP_PROVIDER);
        } else if (present(JUL_PROVIDER)) {
            System.setProperty(PROVIDER, JUL_PROVIDER);
        } else {
            System.clearProperty(PROVIDER); // embedded without lib/logging (the Action): SLF4J finds what there is
        }
        boolean ownConfig = System.getProperty("java.util.logging.config.file") != null
                || (System.getProperty("java.util.logging.config.class") != null
                        && !Config.class.getName().equals(System.getProperty("java.util.logging.config.class")));
        if (ownConfig) {
            return; // -Djava.util.logging.config.* in GATEKEEPER_OPTS: the user's configuration, as given
        }
        System.setProperty("java.util.logging.config.class", Config.class.getName());
        if (on) {
            new Config(); // java.util.logging may already be up (then it did not read our class): configure it now
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Logging.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The java.util.logging configuration of the selected level ({@code java.util.logging.config.class}). */
    public static final class Config {
        public Config() {
            StringBuilder p = new StringBuilder();
            switch (level) {
                case QUIET, NORMAL -> p.append("handlers=\n.level=OFF\n");
                case VERBOSE, DEBUG -> {
                    p.append("handlers=java.util.logging.ConsoleHandler\n.level=INFO\n");
                    p.append("java.util.logging.ConsoleHandler.level=ALL\n");
                    p.append("java.util.logging.ConsoleHandler.formatter=").append(Line.class.getName()).append('\n');
                    p.append("java.util.logging.ConsoleHandler.encoding=UTF-8\n");
                    p.append(HttpLog.LOGGER).append(".level=CONFIG\n"); // one line per HTTP exchange
                    if (level == Level.DEBUG) {
                        for (String l : DEBUGGED) {
                            p.append(l).append(".level=FINE\n");
                        }
                        for (String l : TOO_CHATTY) {
                            p.append(l).append(".level=INFO\n");
                        }
                    }
                }
            }
            try {
                LogManager.getLogManager().readConfiguration(
                        new ByteArrayInputStream(p.toString().getBytes(StandardCharsets.ISO_8859_1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code 12:00:01.234 DEBUG org.eclipse.jgit.util.FS: message}, with credentials in it masked. */
    public static final class Line extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
                .withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder(160);
            b.append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ').append(name(r.getLevel()))
                    .append(' ').append(r.getLoggerName()).append(": ").append(redact(formatMessage(r)));
            if (r.getThrown() != null) {
                StringWriter w = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(w));
                b.append('\n').append(redact(w.toString().stripTrailing()));
            }
            return b.append(System.lineSeparator()).toString();
        }

        /** SLF4J's names; java.util.logging's CONFIG (what {@code --verbose} adds) reads as INFO. */
        private static String name(java.util.logging.Level l) {
            int v = l.intValue();
            return v >= 1000 ? "ERROR" : v >= 900 ? "WARN" : v >= 700 ? "INFO" : v >= 500 ? "DEBUG" : "TRACE";
        }
    }

    /** Masks what may be a credential: a URL's user info, Gatekeeper and GitHub tokens, {@code secret=...}. */
    static String redact(String s) {
        return s == null ? "" : Redact.apply(s);
    }

    /** Compiled on the first log line, not on every start. */
    private static final class Redact {
        private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
        private static final Pattern SECRETS = Pattern.compile(
                "\\bgk1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+|\\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{10,}"
                        + "|(?i)(authorization|token|secret|password)([=:]\\s*)(bearer\\s+|token\\s+|basic\\s+)?"
                        + "[^\\s,;&\"']+");

        static String apply(String s) {
            String out = USER_INFO.matcher(s).replaceAll("$1***@");
            return SECRETS.matcher(out).replaceAll(m -> m.group(2) == null ? "***"
                    : java.util.regex.Matcher.quoteReplacement(m.group(2) + m.group(3)
                            + (m.group(4) == null ? "" : m.group(4)) + "***"));
        }
    }

    /**
     * The CLI's stderr under {@code --quiet}: drops warnings ({@code gatekeeper: warning: ...}, any case), notes
     * and a terminal's progress redraws; passes every other line (errors and their reasons).
     */
    static final class QuietWriter extends Writer {
        private static final Pattern CHATTER = Pattern.compile(
                "^(gatekeeper[^:]*: (warning|note)\\b.*|\\s+note: .*)$",
                Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        private final Writer to;
        private final StringBuilder line = new StringBuilder();

        QuietWriter(Writer to) {
            this.to = to;
        }

        @Override
        public synchronized void write(char[] c, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                if (c[i] == '\r') {
                    line.setLength(0); // a terminal's progress line is drawn over: what was drawn goes
                    continue;
                }
                line.append(c[i]);
                if (c[i] == '\n') {
                    emit();
                }
            }
        }

        private void emit() throws IOException {
            String l = line.toString().replace("\033[K", ""); // the erase after the last progress line
            line.setLength(0);
            if (!CHATTER.matcher(l.stripTrailing()).matches()) {
                to.write(l);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            to.flush(); // a line without its newline yet waits: it may still be a progress redraw
        }

        @Override
        public synchronized void close() throws IOException {
            if (line.length() > 0) {
                line.append('\n');
                emit();
            }
            to.close();
        }
    }
}
