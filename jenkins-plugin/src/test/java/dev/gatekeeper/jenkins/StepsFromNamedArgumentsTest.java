package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Every step built from named arguments the way Pipeline builds it ({@link PipelineModel}: Stapler's parameter
 * names, structs' DescribableModel, workflow-cps' argument parsing), including every step call written in the
 * example Jenkinsfiles and the READMEs, read with Pipeline's Groovy parser; and every step through the Snippet
 * Generator's text and back.
 */
class StepsFromNamedArgumentsTest {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Map<String, StepDescriptor> BY_FUNCTION = new TreeMap<>();

    static {
        for (Class<? extends Step> c : StepClasses.ALL) {
            StepDescriptor d = StepClasses.descriptor(c);
            BY_FUNCTION.put(d.getFunctionName(), d);
        }
    }

    /** What the examples' variables hold when the steps run (see each Jenkinsfile). */
    static final Map<String, Object> VARIABLES = Map.of(
            "agentSha", "3f2a9c1d0e8b7a6954433221100ffeeddccbbaa9",   // git rev-parse HEAD after the agent's push
            "shard", "1/4",                                           // "${i}/${shards}"
            "report", "drift-report-1.json");                        // "drift-report-${i}.json"

    static List<Jenkinsfiles.Call> documentedCalls() throws IOException {
        List<Jenkinsfiles.Call> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(MODULE.resolve("examples"))) {
            for (Path f : files.sorted().toList()) {
                List<Jenkinsfiles.Call> inFile = Jenkinsfiles.calls(Files.readString(f), BY_FUNCTION.keySet(),
                        VARIABLES, "examples/" + f.getFileName());
                assertTrue(!inFile.isEmpty(), f + " calls a step");
                calls.addAll(inFile);
            }
        }
        for (Path readme : List.of(MODULE.resolve("README.md"), MODULE.resolve("../README.md").normalize())) {
            Matcher m = Pattern.compile("```groovy\\n(.*?)```", Pattern.DOTALL)
                    .matcher(Files.readString(readme, StandardCharsets.UTF_8));
            while (m.find()) {
                calls.addAll(Jenkinsfiles.calls(m.group(1), BY_FUNCTION.keySet(), VARIABLES,
                        MODULE.getParent().relativize(readme) + " (groovy block)"));
            }
        }
        return calls;
    }

    static Step bind(Jenkinsfiles.Call call) {
        StepDescriptor d = BY_FUNCTION.get(call.function());
        return (Step) PipelineModel.instantiate(d.clazz, PipelineModel.namedArguments(d, call.arguments()));
    }

    @Test
    void everyStepCallInTheExampleJenkinsfilesAndTheReadmesBindsAsPipelineBindsIt() throws Exception {
        List<Jenkinsfiles.Call> calls = documentedCalls();
        TreeSet<String> seen = new TreeSet<>();
        for (Jenkinsfiles.Call call : calls) {
            String where = call.source() + ":" + call.line() + " " + call.function() + call.arguments();
            Step step;
            try {
                step = bind(call);
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
            assertSnippetRoundTrip(step);
            seen.add(call.function());
        }
        assertEquals(BY_FUNCTION.keySet(), seen, "the examples and READMEs call every step");
        assertTrue(calls.size() >= 10, calls.size() + " calls");
    }

    @Test
    void theFormerListsOfStringsStillBindToTheStructuredForm() {
        StabilizeStep s = (StabilizeStep) bind(call("gatekeeperStabilize", Map.of("probes",
                List.of("http:https://app.internal/healthz", "tcp:db.internal:5432\ncmd:./check.sh"))));
        assertEquals(List.of("http:https://app.internal/healthz", "tcp:db.internal:5432", "cmd:./check.sh"),
                s.getProbes().stream().map(Probe::getUrl).toList());

        DriftScanStep d = (DriftScanStep) bind(call("gatekeeperDriftScan", Map.of(
                "checkouts", List.of("deploy@main", "/srv/other"),
                "bares", List.of("/srv/git/app.git"),
                "githubRepos", List.of("acme/app@release", "acme/site"))));
        assertEquals("deploy", d.getCheckouts().get(0).getPath());
        assertEquals("main", d.getCheckouts().get(0).getBranch());
        assertEquals("/srv/other", d.getCheckouts().get(1).getPath());
        assertEquals(null, d.getCheckouts().get(1).getBranch());
        assertEquals("/srv/git/app.git", d.getBares().get(0).getPath());
        assertEquals("acme/app", d.getGithubRepos().get(0).getRepo());
        assertEquals("release", d.getGithubRepos().get(0).getBranch());
        assertEquals(null, d.getGithubRepos().get(1).getBranch());

        // mixed: a structured entry and a former string
        StabilizeStep mixed = (StabilizeStep) bind(call("gatekeeperStabilize", Map.of("probes",
                List.of(Map.of("url", "https://a/health", "bodyRegex", "ok"), "tcp:b:1"))));
        assertEquals("ok", mixed.getProbes().get(0).getBodyRegex());
        assertEquals("tcp:b:1", mixed.getProbes().get(1).getUrl());

        // the Snippet Generator writes them back in the structured form
        assertEquals("gatekeeperStabilize([[url: 'http:https://app.internal/healthz'], [url: 'tcp:db.internal:5432'],"
                + " [url: 'cmd:./check.sh']])", PipelineModel.step2Groovy(BY_FUNCTION.get("gatekeeperStabilize"), s));
        assertThrows(IllegalArgumentException.class, () -> bind(call("gatekeeperDriftScan",
                Map.of("githubRepos", List.of("not-a-repository")))));
    }

    @Test
    void structuredListsRoundTripThroughTheSnippetGeneratorsText() throws Exception {
        Probe health = new Probe("https://app.internal/healthz");
        health.setExpectStatus("200-299");
        health.setBodyRegex("\"status\":\"ok\"");
        health.setJsonField("checks.db=UP");
        health.setMethod("head");
        health.setTimeout("3s");
        health.setHeaders(List.of(new ProbeHeader("Authorization", "HEALTH_AUTH")));
        StabilizeStep s = new StabilizeStep(List.of(health, new Probe("tcp:db.internal:5432")));
        s.setWait("2m");
        s.setDeploy("./deploy.sh");
        s.setTokenSecretCredentialsId("gatekeeper-pipeline-secret");
        String text = PipelineModel.step2Groovy(BY_FUNCTION.get("gatekeeperStabilize"), s);
        assertEquals("gatekeeperStabilize deploy: './deploy.sh', probes: [[bodyRegex: '\"status\":\"ok\"',"
                + " expectStatus: '200-299', headers: [[name: 'Authorization', variable: 'HEALTH_AUTH']],"
                + " jsonField: 'checks.db=UP', method: 'HEAD', timeout: '3s', url: 'https://app.internal/healthz'],"
                + " [url: 'tcp:db.internal:5432']], tokenSecretCredentialsId: 'gatekeeper-pipeline-secret',"
                + " wait: '2m'", text);
        assertSnippetRoundTrip(s);

        DriftScanStep d = new DriftScanStep();
        Checkout app = new Checkout("/srv/app");
        app.setBranch("main");
        app.setExpect("3f2a9c1");
        GitHubRepository repo = new GitHubRepository("acme/app");
        repo.setBranch("release");
        d.setCheckouts(List.of(app, new Checkout("deploy")));
        d.setBares(List.of(new BareRepository("/srv/git/app.git")));
        d.setGithubRepos(List.of(repo));
        d.setShard("2/4");
        d.setIncremental(false);
        d.setPropagate(false);
        assertEquals("gatekeeperDriftScan bares: [[path: '/srv/git/app.git']], checkouts: [[branch: 'main',"
                + " expect: '3f2a9c1', path: '/srv/app'], [path: 'deploy']], githubRepos: [[branch: 'release',"
                + " repo: 'acme/app']], incremental: false, propagate: false, shard: '2/4'",
                PipelineModel.step2Groovy(BY_FUNCTION.get("gatekeeperDriftScan"), d));
        assertSnippetRoundTrip(d);

        assertEquals("gatekeeperVerifyPush 'main'",
                PipelineModel.step2Groovy(BY_FUNCTION.get("gatekeeperVerifyPush"), new VerifyPushStep("main")));
        WithGatekeeperTokenStep t = new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app");
        t.setRef("refs/heads/release/1.x");
        assertEquals("withGatekeeperToken(ref: 'refs/heads/release/1.x', repo: 'app',"
                + " secretCredentialsId: 'gatekeeper-pipeline-secret') {\n    // some block\n}",
                PipelineModel.step2Groovy(BY_FUNCTION.get("withGatekeeperToken"), t));
        assertSnippetRoundTrip(t);
    }

    @Test
    void aMisspeltArgumentOrAValueOfTheWrongKindIsRefusedBeforeTheStepRuns() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> bind(call("gatekeeperStabilize", Map.of("probes", List.of(), "wiat", "2m"))));
        assertTrue(typo.getMessage().contains("Unknown parameter(s) found for class type"
                + " 'dev.gatekeeper.jenkins.StabilizeStep': wiat"), typo.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> bind(call("gatekeeperStabilize", Map.of("probes", List.of(), "samples", "three"))));
        assertTrue(kind.getMessage().contains("expects class java.lang.Integer"), kind.getMessage());
        IllegalArgumentException probe = assertThrows(IllegalArgumentException.class,
                () -> bind(call("gatekeeperStabilize", Map.of("probes", List.of(Map.of("url", "tcp:db:5432",
                        "bodyRegex", "ok"))))));
        assertTrue(probe.getMessage().contains("bodyRegex is for http(s) probes only"), probe.getMessage());
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> bind(call("gatekeeperDriftScan", Map.of("checkouts", List.of(Map.of("dir", "/srv/app"))))));
        assertTrue(nested.getMessage().contains("'dev.gatekeeper.jenkins.Checkout': dir"), nested.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> bind(call("gatekeeperDriftScan", Map.of("shard", "5/4"))));
    }

    @Test
    void aLonePositionalArgumentIsTheSoleConstructorParameter() {
        VerifyPushStep v = (VerifyPushStep) bind(new Jenkinsfiles.Call("gatekeeperVerifyPush", 1,
                List.of("release"), "test"));
        assertEquals("release", v.getBranch());
        WithGatekeeperTokenStep t = (WithGatekeeperTokenStep) bind(new Jenkinsfiles.Call("withGatekeeperToken", 1,
                List.of("pipeline-secret", Jenkinsfiles.BLOCK), "test"));
        assertEquals("pipeline-secret", t.getSecretCredentialsId());
        assertThrows(IllegalStateException.class, () -> bind(new Jenkinsfiles.Call("withGatekeeperToken", 1,
                List.of(Map.of("secretCredentialsId", "s")), "test")), "a block step without its block");
    }

    /**
     * Constructor and web-method parameter names: Stapler takes the class file's MethodParameters (javac
     * -parameters) and falls back to the debug information; both must name the same parameters, so the default
     * build and the .hpi build (whichever the parent's compiler settings leave) bind the same names.
     */
    @Test
    void parameterNamesAreTheSameFromMethodParametersAndFromDebugInformation() {
        int checked = 0;
        for (Class<?> c : StepClasses.DATA_BOUND) {
            var k = PipelineModel.dataBoundConstructor(c);
            assertNotNull(PipelineModel.reflectionNames(k), c + " compiled with -parameters");
            assertArrayEquals(PipelineModel.reflectionNames(k), PipelineModel.debugInfoNames(k), c.getName());
            checked++;
            for (Method m : StepClasses.webMethods(c)) {
                assertArrayEquals(PipelineModel.reflectionNames(m), PipelineModel.debugInfoNames(m), m.toString());
                checked++;
            }
        }
        assertTrue(checked > 30, checked + " constructors and web methods");
    }

    /** Step → the Snippet Generator's text → Pipeline's parser → named arguments → step: the same arguments. */
    static void assertSnippetRoundTrip(Step step) {
        StepDescriptor d = StepClasses.descriptor(step.getClass());
        String text = PipelineModel.step2Groovy(d, step);
        List<Jenkinsfiles.Call> parsed = Jenkinsfiles.calls(text, BY_FUNCTION.keySet(), Map.of(), "snippet");
        assertEquals(1, parsed.size(), text);
        Step again = bind(parsed.get(0));
        UninstantiatedDescribable before = PipelineModel.uninstantiate(step);
        assertEquals(before, PipelineModel.uninstantiate(again), text);
    }

    private static Jenkinsfiles.Call call(String function, Map<String, Object> named) {
        return new Jenkinsfiles.Call(function, 1, List.of(named), "test");
    }
}
