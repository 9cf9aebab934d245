package dev.gatekeeper.jenkins;

import dev.gatekeeper.policy.Units;
import dev.gatekeeper.settings.SecretSources;
import dev.gatekeeper.stabilize.ProbeSpec;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One probe of {@code gatekeeperStabilize}: {@code probes: [[url: 'https://app/healthz', expectStatus: '200-299',
 * bodyRegex: '"ok"'], [url: 'tcp:db:5432']]}. Every setting is core's {@link ProbeSpec}; the HTTP ones override,
 * for this probe, the step's shared {@code expectStatus}/{@code probeTimeout}. Checked when Pipeline builds it, so a
 * bad probe fails the step before anything is probed.
 */
public final class Probe implements Describable<Probe>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private String method;
    private String expectStatus;
    private String bodyRegex;
    private String jsonField;
    private List<ProbeHeader> headers = List.of();
    private String timeout;

    /**
     * @param url an http(s) URL ({@code http:METHOD:URL} too), {@code tcp:HOST:PORT} or {@code cmd:COMMAND}, as the
     *     CLI's {@code --probe}
     */
    @DataBoundConstructor
    public Probe(String url) {
        String u = StepArgs.text(url);
        if (u == null) {
            throw new IllegalArgumentException("a probe needs a url: http(s)://…, tcp:HOST:PORT or cmd:COMMAND");
        }
        ProbeSpec.parse(u);
        this.url = u;
    }

    public String getUrl() { return url; }
    public String getMethod() { return method; }
    public String getExpectStatus() { return expectStatus; }
    public String getBodyRegex() { return bodyRegex; }
    public String getJsonField() { return jsonField; }
    public List<ProbeHeader> getHeaders() { return headers; }
    public String getTimeout() { return timeout; }

    /** GET (default), HEAD, POST, PUT or OPTIONS. */
    @DataBoundSetter public void setMethod(String v) {
        String m = StepArgs.text(v);
        if (m != null) {
            http("method");
            m = m.toUpperCase(Locale.ROOT);
            if (!m.matches("GET|HEAD|POST|PUT|OPTIONS")) {
                throw new IllegalArgumentException("probe method '" + v + "': GET, HEAD, POST, PUT or OPTIONS");
            }
        }
        this.method = m;
    }

    /** {@code 200} or a range {@code 200-299}. */
    @DataBoundSetter public void setExpectStatus(String v) {
        String s = StepArgs.text(v);
        if (s != null) {
            http("expectStatus");
            ProbeSpec.parse("http://check.invalid/").status(s);
        }
        this.expectStatus = s;
    }

    @DataBoundSetter public void setBodyRegex(String v) {
        String r = StepArgs.text(v);
        if (r != null) {
            http("bodyRegex");
            ProbeSpec.parse("http://check.invalid/").bodyRegex(r);
        }
        this.bodyRegex = r;
    }

    /** {@code FIELD=VALUE}: the JSON body's (dotted) field must equal VALUE. */
    @DataBoundSetter public void setJsonField(String v) {
        String j = StepArgs.text(v);
        if (j != null) {
            http("jsonField");
            ProbeSpec.parse("http://check.invalid/").json(j);
        }
        this.jsonField = j;
    }

    @DataBoundSetter public void setHeaders(List<ProbeHeader> v) {
        List<ProbeHeader> h = v == null ? List.of() : List.copyOf(v);
        if (!h.isEmpty()) {
            http("headers");
        }
        this.headers = h;
    }

    /** Per measurement, e.g. {@code 5s}. */
    @DataBoundSetter public void setTimeout(String v) {
        String t = StepArgs.text(v);
        if (t != null) {
            ProbeSpec.parse("http://check.invalid/").timeout(Units.duration(t));
        }
        this.timeout = t;
    }

    /**
     * Core's spec of this probe, with its own settings (the step's shared ones apply where it has none); each
     * header's value read from the build's variable it names.
     *
     * @throws IllegalArgumentException when a header's variable is not set
     */
    ProbeSpec spec(Map<String, String> env) {
        ProbeSpec spec = ProbeSpec.parse(url);
        if (method != null) {
            spec = spec.method(method);
        }
        if (expectStatus != null) {
            spec = spec.status(expectStatus);
        }
        if (bodyRegex != null) {
            spec = spec.bodyRegex(bodyRegex);
        }
        if (jsonField != null) {
            spec = spec.json(jsonField);
        }
        for (ProbeHeader h : headers) {
            spec = spec.header(h.getName(), SecretSources.variable(env, h.getVariable(), "header " + h.getName()));
        }
        if (timeout != null) {
            spec = spec.timeout(Units.duration(timeout));
        }
        return spec;
    }

    private void http(String setting) {
        if (!ProbeSpec.parse(url).type().equals("http")) {
            throw new IllegalArgumentException("probe " + url + ": " + setting + " is for http(s) probes only");
        }
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<Probe> {
        @Override
        public String getDisplayName() {
            return "Probe";
        }

        /** The form's method drop-down; empty is the default (GET). */
        public ListBoxModel doFillMethodItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("GET (default)", "");
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "OPTIONS")) {
                m.add(method);
            }
            return m;
        }

        @POST
        public FormValidation doCheckUrl(@QueryParameter String value) {
            return FormChecks.check(() -> new Probe(value));
        }

        @POST
        public FormValidation doCheckExpectStatus(@QueryParameter String value) {
            return FormChecks.check(() -> new Probe("http://check.invalid/").setExpectStatus(value));
        }

        @POST
        public FormValidation doCheckBodyRegex(@QueryParameter String value) {
            return FormChecks.check(() -> new Probe("http://check.invalid/").setBodyRegex(value));
        }

        @POST
        public FormValidation doCheckJsonField(@QueryParameter String value) {
            return FormChecks.check(() -> new Probe("http://check.invalid/").setJsonField(value));
        }

        @POST
        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return FormChecks.check(() -> new Probe("http://check.invalid/").setTimeout(value));
        }
    }
}
