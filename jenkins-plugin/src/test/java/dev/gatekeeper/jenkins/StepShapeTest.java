package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;

/** The conventions Pipeline relies on, checked on every step class, and the rule that main code never sees a seam. */
class StepShapeTest {
    private static final Map<Class<?>, String> FUNCTIONS = Map.of(VerifyPushStep.class, "gatekeeperVerifyPush",
            StabilizeStep.class, "gatekeeperStabilize", DriftScanStep.class, "gatekeeperDriftScan",
            WithGatekeeperTokenStep.class, "withGatekeeperToken");

    @Test
    void eachStepIsFinalWithAnExtensionDescriptorAndAGetterPerParameter() throws Exception {
        for (Class<? extends Step> c : StepClasses.ALL) {
            assertTrue(Modifier.isFinal(c.getModifiers()), c + " is final");
            Class<?> d = Class.forName(c.getName() + "$DescriptorImpl");
            assertTrue(d.isAnnotationPresent(Extension.class), d + " is an @Extension");
            assertTrue(Modifier.isStatic(d.getModifiers()) && Modifier.isPublic(d.getModifiers()));
            StepDescriptor descriptor = (StepDescriptor) d.getDeclaredConstructor().newInstance();
            assertEquals(FUNCTIONS.get(c), descriptor.getFunctionName());
            assertTrue(descriptor.getDisplayName().startsWith("Gatekeeper: "), descriptor.getDisplayName());
            assertEquals(Set.of(FilePath.class, TaskListener.class, Run.class, EnvVars.class),
                    descriptor.getRequiredContext());
            assertEquals(c == WithGatekeeperTokenStep.class, descriptor.takesImplicitBlockArgument());
            for (String p : StepClasses.parameters(c)) {
                String cap = Character.toUpperCase(p.charAt(0)) + p.substring(1);
                Method getter = find(c, "get" + cap);
                getter = getter != null ? getter : find(c, "is" + cap);
                assertNotNull(getter, c.getSimpleName() + " has a getter for " + p + " (the Snippet Generator)");
            }
            Class<?> execution = Class.forName(c.getName() + "$Execution");
            assertTrue(Modifier.isTransient(execution.getDeclaredField("step").getModifiers()),
                    "the step is not saved with the program");
        }
    }

    @Test
    void defaultsAndNormalisation() {
        VerifyPushStep v = new VerifyPushStep(" ");
        assertEquals(null, v.getBranch(), "blank means not given");
        assertTrue(v.isPropagate());
        StabilizeStep s = new StabilizeStep(List.of(new Probe(" http:http://a/health "), new Probe("tcp:b:1")));
        assertEquals(List.of("http:http://a/health", "tcp:b:1"), s.getProbes().stream().map(Probe::getUrl).toList());
        DriftScanStep d = new DriftScanStep();
        assertEquals("gatekeeper-drift-report.json", d.getReportFile());
        assertTrue(d.isIncremental());
        d.setReportFile("");
        assertEquals("gatekeeper-drift-report.json", d.getReportFile());
        WithGatekeeperTokenStep t = new WithGatekeeperTokenStep("id", "app");
        assertEquals("refs/heads/main", t.getRef());
        t.setRef("release");
        assertEquals("refs/heads/release", t.getRef());
        t.setRef("refs/tags/v1");
        assertEquals("refs/tags/v1", t.getRef());
        assertEquals("GATEKEEPER_TOKEN", t.getVariable());
    }

    @Test
    void noMainSourceImportsTheStubsTestSeams() throws IOException {
        Path main = Path.of("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the module folder");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (Files.readString(f, StandardCharsets.UTF_8).contains("dev.gatekeeper.jenkins.stubs")) {
                    offenders.add(main.relativize(f).toString());
                }
            }
        }
        assertEquals(List.of(), offenders, "main code must work against the real Jenkins classes");
        assertFalse(Files.exists(main.resolve("dev/gatekeeper/jenkins/stubs")));
    }

    private static Method find(Class<?> c, String name) {
        try {
            return c.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
