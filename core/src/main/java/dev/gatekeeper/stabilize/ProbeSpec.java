package dev.gatekeeper.stabilize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A probe as configured, before it is opened: {@code http:GET:URL}, {@code http:URL}, {@code tcp:HOST:PORT},
 * {@code cmd:COMMAND}, with the HTTP checks and the timeout either its own or, where it has none, the shared ones
 * ({@link #withDefaults}). Immutable: each setter returns a new spec. Header values are values (they are secrets:
 * never in {@link #name()} or a message); reading them from where they live is the packaging's job.
 */
public final class ProbeSpec {
    private static final Pattern METHOD = Pattern.compile("(GET|HEAD|POST|PUT|OPTIONS):(.*)");
    private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final String DEFAULT_STATUS = "200-399";

    private final String type;
    private final String target;
    private final String method;
    private final String status;
    private final String bodyRegex;
    private final String json;
    private final Duration timeout;
    private final Map<String, String> headers;

    private ProbeSpec(String type, String target, String method, String status, String bodyRegex, String json,
            Duration timeout, Map<String, String> headers) {
        this.type = type;
        this.target = target;
        this.method = method;
        this.status = status;
        this.bodyRegex = bodyRegex;
        this.json = json;
        this.timeout = timeout;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
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
                String method = null;
                Matcher m = METHOD.matcher(rest);
                if (m.matches()) {
                    method = m.group(1);
                    rest = m.group(2);
                }
                if (okhttp3.HttpUrl.parse(rest) == null) {
                    throw new IllegalArgumentException("'" + spec + "': not an http(s) URL: '" + rest + "'");
                }
                return new ProbeSpec("http", rest, method, null, null, null, null, Map.of());
            }
            case "tcp" -> {
                int c = rest.lastIndexOf(':');
                if (c <= 0 || !rest.substring(c + 1).matches("\\d{1,5}")) {
                    throw new IllegalArgumentException("'" + spec + "': expected tcp:HOST:PORT");
                }
                return new ProbeSpec("tcp", rest, null, null, null, null, null, Map.of());
            }
            case "cmd" -> {
                if (rest.isBlank()) {
                    throw new IllegalArgumentException("'" + spec + "': expected cmd:COMMAND");
                }
                return new ProbeSpec("cmd", rest, null, null, null, null, null, Map.of());
            }
            default -> throw new IllegalArgumentException("'" + spec + "': expected http:[METHOD:]URL, tcp:HOST:PORT"
                    + " or cmd:COMMAND");
        }
    }

    public String type() {
        return type;
    }

    public ProbeSpec method(String v) {
        String m = v.trim().toUpperCase(Locale.ROOT);
        if (!m.matches("GET|HEAD|POST|PUT|OPTIONS")) {
            throw new IllegalArgumentException("method '" + v + "': expected GET, HEAD, POST, PUT or OPTIONS");
        }
        return new ProbeSpec(type, target, m, status, bodyRegex, json, timeout, headers);
    }

    /** {@code 200}, {@code 200-299}. */
    public ProbeSpec status(String range) {
        statusRange(range);
        return new ProbeSpec(type, target, method, range.trim(), bodyRegex, json, timeout, headers);
    }

    public ProbeSpec bodyRegex(String v) {
        checkRegex(v);
        return new ProbeSpec(type, target, method, status, v, json, timeout, headers);
    }

    /** {@code field=value}; the field is a dotted path. */
    public ProbeSpec json(String fieldEqualsValue) {
        checkJson(fieldEqualsValue);
        return new ProbeSpec(type, target, method, status, bodyRegex, fieldEqualsValue, timeout, headers);
    }

    public ProbeSpec timeout(Duration v) {
        if (v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException("a probe timeout must be more than 0");
        }
        return new ProbeSpec(type, target, method, status, bodyRegex, json, v, headers);
    }

    /** A header and its value (a secret, such as {@code Authorization: Bearer …}). */
    public ProbeSpec header(String name, String value) {
        if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("header name '" + name + "' is not a valid HTTP header name");
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value == null ? "" : value);
        return new ProbeSpec(type, target, method, status, bodyRegex, json, timeout, h);
    }

    /**
     * This spec with the shared settings where it has none of its own: {@code timeout} for every probe; the
     * status range, body regex, JSON check and headers for HTTP probes (a header of its own wins by name).
     */
    public ProbeSpec withDefaults(Duration timeout, String status, String bodyRegex, String json,
            Map<String, String> headers) {
        Duration t = this.timeout != null ? this.timeout : timeout;
        if (!type.equals("http")) {
            return new ProbeSpec(type, target, method, this.status, this.bodyRegex, this.json, t, this.headers);
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.putAll(this.headers);
        return new ProbeSpec(type, target, method, this.status != null ? this.status : status,
                this.bodyRegex != null ? this.bodyRegex : bodyRegex, this.json != null ? this.json : json, t, h);
    }

    /** A short name without secrets, as the opened probe's {@link Probe#name()}. */
    public String name() {
        return switch (type) {
            case "http" -> "http " + (method == null ? "GET" : method) + " " + target;
            case "tcp" -> "tcp " + target;
            default -> "cmd " + target;
        };
    }

    /**
     * The probe and the checks it makes, e.g. {@code http GET http://h/health (status 200-399, headers
     * [Authorization], timeout 5s)}: header names, never their values.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(name()).append(" (");
        if (type.equals("http")) {
            sb.append("status ").append(status == null ? DEFAULT_STATUS : status).append(", ");
            if (bodyRegex != null) {
                sb.append("body /").append(bodyRegex).append("/, ");
            }
            if (json != null) {
                sb.append("json ").append(json).append(", ");
            }
            if (!headers.isEmpty()) {
                sb.append("headers ").append(headers.keySet()).append(", ");
            }
        }
        return sb.append("timeout ").append(dev.gatekeeper.policy.Units.format(timeout == null ? DEFAULT_TIMEOUT
                : timeout)).append(')').toString();
    }

    public Probe open(Path workDir) {
        Duration t = timeout == null ? DEFAULT_TIMEOUT : timeout;
        switch (type) {
            case "http" -> {
                int[] range = statusRange(status == null ? DEFAULT_STATUS : status);
                String field = null;
                String value = null;
                if (json != null) {
                    int eq = json.indexOf('=');
                    field = json.substring(0, eq).trim();
                    value = json.substring(eq + 1).trim();
                }
                return new HttpProbe(method == null ? "GET" : method, target, range[0], range[1],
                        bodyRegex == null ? null : Pattern.compile(bodyRegex), field, value, headers, t);
            }
            case "tcp" -> {
                int c = target.lastIndexOf(':');
                return new TcpProbe(target.substring(0, c), Integer.parseInt(target.substring(c + 1)), t);
            }
            default -> {
                return new CommandProbe(target, t, workDir);
            }
        }
    }

    /** {@link #describe()}: the probe and its checks, never a header's value. */
    @Override
    public String toString() {
        return describe();
    }

    /**
     * The same probe with the same checks: so the settings a packaging builds can be compared with the record a YAML
     * file gives. Header values are secrets, compared in constant time.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeSpec p && type.equals(p.type) && target.equals(p.target)
                && Objects.equals(method, p.method) && Objects.equals(status, p.status)
                && Objects.equals(bodyRegex, p.bodyRegex) && Objects.equals(json, p.json)
                && Objects.equals(timeout, p.timeout) && sameHeaders(headers, p.headers);
    }

    private static boolean sameHeaders(Map<String, String> a, Map<String, String> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        boolean same = true;
        for (Map.Entry<String, String> e : a.entrySet()) {
            same &= MessageDigest.isEqual(e.getValue().getBytes(StandardCharsets.UTF_8),
                    b.get(e.getKey()).getBytes(StandardCharsets.UTF_8));
        }
        return same;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, target, method, status, bodyRegex, json, timeout, headers.keySet());
    }

    private static int[] statusRange(String range) {
        Matcher m = STATUS.matcher(range.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("status '" + range + "': expected a code or a range like 200-299");
        }
        int min = Integer.parseInt(m.group(1));
        int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
        if (max < min) {
            throw new IllegalArgumentException("status '" + range + "': the range is empty");
        }
        return new int[] {min, max};
    }

    /** @throws IllegalArgumentException when {@code v} is no regular expression */
    public static void checkRegex(String v) {
        try {
            Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("body regex: " + e.getDescription());
        }
    }

    /** @throws IllegalArgumentException when {@code v} is no {@code FIELD=VALUE} */
    public static void checkJson(String v) {
        if (v.indexOf('=') <= 0) {
            throw new IllegalArgumentException("json '" + v + "': expected FIELD=VALUE, e.g. status=UP");
        }
    }

    /** @throws IllegalArgumentException when {@code v} is no status code or range */
    public static void checkStatus(String v) {
        statusRange(v);
    }
}
