package dev.gatekeeper.stabilize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A probe as configured, before it is opened: {@code http:GET:URL}, {@code http:URL}, {@code tcp:HOST:PORT},
 * {@code cmd:COMMAND} on the command line, or the same with extra keys in the YAML file. Header values name
 * environment variables, read only when the probe is opened.
 */
public final class ProbeSpec {
    private static final Pattern METHOD = Pattern.compile("(GET|HEAD|POST|PUT|OPTIONS):(.*)");
    private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final String type;
    private final String target;
    private String method = "GET";
    private int minStatus = 200;
    private int maxStatus = 399;
    private String bodyRegex;
    private String jsonField;
    private String jsonValue;
    private Duration timeout = DEFAULT_TIMEOUT;
    private final Map<String, String> headerEnv = new LinkedHashMap<>();

    private ProbeSpec(String type, String target) {
        this.type = type;
        this.target = target;
    }

    /** @throws IllegalArgumentException with the accepted forms */
    public static ProbeSpec parse(String spec) {
        int colon = spec.indexOf(':');
        String type = colon < 0 ? "" : spec.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        switch (type) {
            case "http", "https" -> {
                if (type.equals("https")) {
                    rest = "https:" + rest; // "https://host/health" given bare
                } else if (rest.startsWith("//")) {
                    rest = "http:" + rest;
                }
                ProbeSpec p = new ProbeSpec("http", rest);
                Matcher m = METHOD.matcher(rest);
                if (m.matches()) {
                    p = new ProbeSpec("http", m.group(2));
                    p.method = m.group(1);
                }
                if (okhttp3.HttpUrl.parse(p.target) == null) {
                    throw new IllegalArgumentException("'" + spec + "': not an http(s) URL: '" + p.target + "'");
                }
                return p;
            }
            case "tcp" -> {
                int c = rest.lastIndexOf(':');
                if (c <= 0 || !rest.substring(c + 1).matches("\\d{1,5}")) {
                    throw new IllegalArgumentException("'" + spec + "': expected tcp:HOST:PORT");
                }
                return new ProbeSpec("tcp", rest);
            }
            case "cmd" -> {
                if (rest.isBlank()) {
                    throw new IllegalArgumentException("'" + spec + "': expected cmd:COMMAND");
                }
                return new ProbeSpec("cmd", rest);
            }
            default -> throw new IllegalArgumentException("'" + spec + "': expected http:[METHOD:]URL, tcp:HOST:PORT"
                    + " or cmd:COMMAND");
        }
    }

    public String type() {
        return type;
    }

    public ProbeSpec method(String v) {
        this.method = v.toUpperCase(Locale.ROOT);
        return this;
    }

    /** {@code 200}, {@code 200-299}. */
    public ProbeSpec status(String range) {
        Matcher m = STATUS.matcher(range.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("status '" + range + "': expected a code or a range like 200-299");
        }
        minStatus = Integer.parseInt(m.group(1));
        maxStatus = m.group(2) == null ? minStatus : Integer.parseInt(m.group(2));
        if (maxStatus < minStatus) {
            throw new IllegalArgumentException("status '" + range + "': the range is empty");
        }
        return this;
    }

    public ProbeSpec bodyRegex(String v) {
        try {
            Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("body regex: " + e.getDescription());
        }
        this.bodyRegex = v;
        return this;
    }

    /** {@code field=value}; the field is a dotted path. */
    public ProbeSpec json(String fieldEqualsValue) {
        int eq = fieldEqualsValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("json '" + fieldEqualsValue + "': expected FIELD=VALUE, e.g. status=UP");
        }
        this.jsonField = fieldEqualsValue.substring(0, eq).trim();
        this.jsonValue = fieldEqualsValue.substring(eq + 1).trim();
        return this;
    }

    public ProbeSpec timeout(Duration v) {
        if (v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException("a probe timeout must be more than 0");
        }
        this.timeout = v;
        return this;
    }

    /** A header whose value is read from {@code $envVar} when the probe is opened. */
    public ProbeSpec header(String name, String envVar) {
        headerEnv.put(name, envVar);
        return this;
    }

    /** @throws IllegalArgumentException when a header's variable is unset */
    public Probe open(Map<String, String> env, Path workDir) {
        switch (type) {
            case "http" -> {
                Map<String, String> headers = new LinkedHashMap<>();
                headerEnv.forEach((name, var) -> {
                    String v = env.get(var);
                    if (v == null) {
                        throw new IllegalArgumentException("header " + name + ": $" + var + " is not set");
                    }
                    headers.put(name, v);
                });
                return new HttpProbe(method, target, minStatus, maxStatus,
                        bodyRegex == null ? null : Pattern.compile(bodyRegex), jsonField, jsonValue, headers, timeout);
            }
            case "tcp" -> {
                int c = target.lastIndexOf(':');
                return new TcpProbe(target.substring(0, c), Integer.parseInt(target.substring(c + 1)), timeout);
            }
            default -> {
                return new CommandProbe(target, timeout, workDir);
            }
        }
    }
}
