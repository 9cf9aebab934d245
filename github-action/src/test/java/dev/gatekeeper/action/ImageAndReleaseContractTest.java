package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which ref gets which image, checked across the files that decide it: action.yml names
 * {@code docker://ghcr.io/<owner>/gatekeeper-action:main}; image.yml publishes exactly that for main (through
 * {@code .github/scripts/action-image.sh}, run here); release.yml gets the release image's digest from image.yml and
 * pins action.yml to it on a new release commit and tag ({@code .github/scripts/release.sh}, run here in a scratch
 * repository), never moving an existing tag; and setup-gatekeeper on that commit installs the release's tarball.
 */
class ImageAndReleaseContractTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @TempDir
    Path tmp;

    static JsonNode yaml(String path) throws IOException {
        return YAML.readTree(ROOT.resolve(path).toFile());
    }

    /** The owner of the repository the examples take the actions from ({@code acme/gatekeeper/...@ref}). */
    static String examplesOwner() throws Exception {
        Pattern uses = Pattern.compile("uses: ([\\w-]+)/gatekeeper/(github-action|setup-gatekeeper)@");
        String owner = null;
        for (Path ex : ActionContractTest.examples()) {
            Matcher m = uses.matcher(Files.readString(ex));
            while (m.find()) {
                assertTrue(owner == null || owner.equals(m.group(1)), "one owner in every example: " + ex);
                owner = m.group(1);
            }
        }
        assertTrue(owner != null, "the examples use the actions");
        return owner;
    }

    record Run(int code, String out) {
        Map<String, String> outputs() {
            Map<String, String> m = new HashMap<>();
            for (String line : out.lines().toList()) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return m;
        }
    }

    static Run run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GITHUB_") || k.equals("TAG"));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    static Run script(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve(".github/scripts/action-image.sh").toString()));
        cmd.addAll(List.of(args));
        return run(ROOT, env, cmd.toArray(String[]::new));
    }

    @Test
    void actionYmlOnMainNamesTheImageTheImageWorkflowPublishesForMain() throws Exception {
        String named = yaml("github-action/action.yml").get("runs").get("image").asText();
        Run mainRef = script(Map.of(), "main-ref", examplesOwner());
        assertEquals(0, mainRef.code(), mainRef.out());
        assertEquals(mainRef.out().strip(), named, "action.yml on main");

        // what image.yml's `name` step gives docker/build-push-action for a push to main (an owner in upper case:
        // ghcr.io wants lower case)
        Run forMain = script(Map.of("GITHUB_REPOSITORY_OWNER", examplesOwner().toUpperCase(), "GITHUB_REF",
                "refs/heads/main", "GITHUB_SHA", "a".repeat(40)), "name");
        assertEquals(0, forMain.code(), forMain.out());
        List<String> tags = List.of(forMain.outputs().get("tags").split(","));
        assertTrue(tags.contains(named.substring("docker://".length())), tags + " publish " + named);
        assertTrue(tags.contains(forMain.outputs().get("image") + ":sha-aaaaaaaaaaaa"), tags.toString());
    }

    @Test
    void onlyMainPublishesTheMainTagAndAReleasePublishesOnlyItsOwn() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_REPOSITORY_OWNER", "acme", "GITHUB_SHA", "b".repeat(40),
                "GITHUB_REF", "refs/heads/feature/x"));
        assertEquals("ghcr.io/acme/gatekeeper-action:sha-bbbbbbbbbbbb", script(env, "name").outputs().get("tags"));
        env.put("TAG", "v1.2.3");
        assertEquals("ghcr.io/acme/gatekeeper-action:v1.2.3", script(env, "name").outputs().get("tags"));
        env.put("TAG", "main");
        assertEquals(2, script(env, "name").code(), "a release tag must look like one");
    }

    @Test
    void theImageWorkflowBuildsTheDockerfileAsTheRunnerWouldAndPublishesTheComputedTags() throws Exception {
        JsonNode wf = yaml(".github/workflows/image.yml");
        assertEquals("[\"main\"]", wf.get("on").get("push").get("branches").toString());
        assertTrue(wf.get("on").has("workflow_call"), "release.yml calls it");
        assertTrue(wf.get("on").get("workflow_call").get("outputs").has("digest"));
        JsonNode steps = wf.get("jobs").get("image").get("steps");
        JsonNode name = step(steps, "name");
        assertTrue(name.get("run").asText().contains(".github/scripts/action-image.sh name"), name.toString());
        JsonNode push = step(steps, "push");
        assertTrue(push.get("uses").asText().startsWith("docker/build-push-action@"), push.toString());
        JsonNode with = push.get("with");
        assertEquals("github-action", with.get("context").asText(), "the action's folder, as the runner builds it");
        assertTrue(Files.isRegularFile(ROOT.resolve("github-action/Dockerfile")));
        assertEquals("${{ steps.name.outputs.tags }}", with.get("tags").asText());
        assertTrue(with.get("push").asBoolean());
        assertEquals("${{ steps.push.outputs.digest }}", wf.get("jobs").get("image").get("outputs").get("digest").asText());
    }

    @Test
    void theReleaseWorkflowPinsTheImageItPublishedAndPushesOnlyANewTag() throws Exception {
        JsonNode wf = yaml(".github/workflows/release.yml");
        assertEquals("[\"release-v*\"]", wf.get("on").get("push").get("tags").toString());
        assertEquals("./.github/workflows/image.yml", wf.get("jobs").get("image").get("uses").asText());
        JsonNode publish = wf.get("jobs").get("publish");
        String all = publish.toString();
        assertTrue(all.contains("${{ needs.image.outputs.image }}@${{ needs.image.outputs.digest }}"), all);
        assertTrue(all.contains(".github/scripts/release.sh commit"), all);
        for (JsonNode step : publish.get("steps")) {
            String run = step.path("run").asText();
            if (run.contains("git push")) {
                assertTrue(run.strip().matches("git push origin \"refs/tags/\\$TAG\""), "pushes only the new tag: " + run);
            }
            assertFalse(run.matches("(?s).*(--force|-f\\s|push\\s+-f|\\+refs/).*"), "nothing is forced: " + run);
        }
    }

    @Test
    void theReleaseCommitPinsTheDigestOnTopOfTheRequestAndSetupGatekeeperThenInstallsTheRelease() throws Exception {
        Path repo = scratchRepository();
        String request = git(repo, "rev-parse", "HEAD");
        Path tarball = Files.writeString(tmp.resolve("gatekeeper-1.2.3.tar.gz"), "the distribution");
        String ref = "ghcr.io/acme/gatekeeper-action@" + DIGEST;
        Map<String, String> env = Map.of("GITHUB_SERVER_URL", "https://github.example.com",
                "GITHUB_REPOSITORY", "acme/gatekeeper");

        Run commit = run(repo, env, "bash", ROOT.resolve(".github/scripts/release.sh").toString(), "commit", "1.2.3",
                ref, tarball.toString());

        assertEquals(0, commit.code(), commit.out());
        assertEquals("v1.2.3", commit.outputs().get("tag"));
        assertEquals(commit.outputs().get("commit"), git(repo, "rev-parse", "v1.2.3^{commit}"));
        assertEquals(request, git(repo, "rev-parse", "v1.2.3^"), "on top of the requested commit");
        assertEquals(request, git(repo, "rev-parse", "refs/heads/main"), "no branch moves");
        JsonNode before = YAML.readTree(ROOT.resolve("github-action/action.yml").toFile());
        JsonNode after = YAML.readTree(repo.resolve("github-action/action.yml").toFile());
        assertEquals("docker://" + ref, after.get("runs").get("image").asText());
        ((ObjectNode) before.get("runs")).remove("image");
        ((ObjectNode) after.get("runs")).remove("image");
        assertEquals(before, after, "only the image changes");
        String env_ = Files.readString(repo.resolve("setup-gatekeeper/release.env"));
        assertTrue(env_.contains("GATEKEEPER_RELEASE_URL=https://github.example.com/acme/gatekeeper/releases/download/"
                + "v1.2.3/gatekeeper-1.2.3.tar.gz\n"), env_);
        assertTrue(env_.contains("GATEKEEPER_RELEASE_SHA256=" + sha256(Files.readAllBytes(tarball)) + "\n"), env_);
        assertEquals("", git(repo, "status", "--porcelain"), "everything is in the release commit");

        // setup-gatekeeper's plan on that commit: release mode, this version (the handshake release.env carries)
        Path out = tmp.resolve("github-output");
        Run plan = run(repo, Map.of("GITHUB_ACTION_PATH", repo.resolve("setup-gatekeeper").toString(),
                "RUNNER_TOOL_CACHE", tmp.resolve("tool").toString(), "RUNNER_TEMP", tmp.toString(),
                "GITHUB_OUTPUT", out.toString()), "bash", repo.resolve("setup-gatekeeper/setup.sh").toString(), "plan");
        assertEquals(0, plan.code(), plan.out());
        String outputs = Files.readString(out);
        assertTrue(outputs.contains("mode=release\n") && outputs.contains("version=1.2.3\n"), outputs);
    }

    @Test
    void anExistingTagIsNeverMovedAndABadImageReferenceChangesNothing() throws Exception {
        Path repo = scratchRepository();
        Path tarball = Files.writeString(tmp.resolve("gatekeeper-1.2.3.tar.gz"), "the distribution");
        Map<String, String> env = Map.of("GITHUB_REPOSITORY", "acme/gatekeeper");
        String release = ROOT.resolve(".github/scripts/release.sh").toString();
        git(repo, "tag", "v1.2.3");
        String tagged = git(repo, "rev-parse", "v1.2.3");

        Run again = run(repo, env, "bash", release, "commit", "1.2.3", "ghcr.io/acme/gatekeeper-action@" + DIGEST,
                tarball.toString());
        assertEquals(2, again.code(), again.out());
        assertTrue(again.out().contains("exists already"), again.out());
        assertEquals(tagged, git(repo, "rev-parse", "v1.2.3"));

        byte[] action = Files.readAllBytes(repo.resolve("github-action/action.yml"));
        Run bad = run(repo, env, "bash", release, "commit", "1.2.4", "ghcr.io/acme/gatekeeper-action:v1.2.4",
                tarball.toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(java.util.Arrays.equals(action, Files.readAllBytes(repo.resolve("github-action/action.yml"))));
        assertNotEquals(0, run(repo, Map.of(), "git", "rev-parse", "-q", "--verify", "refs/tags/v1.2.4").code());
    }

    /**
     * Both jobs of the release set the poms through {@code release.sh poms}, which runs versions:set and then the
     * .hpi's pom: its own version and the {@code gatekeeper.version} property its gatekeeper-core and
     * gatekeeper-hooks dependencies use (versions:set rewrites neither: that pom's parent is the Jenkins plugin POM).
     */
    @Test
    void theReleaseSetsTheHpiPomsVersionAndItsGatekeeperVersionProperty() throws Exception {
        JsonNode wf = yaml(".github/workflows/release.yml");
        for (String job : List.of("build", "publish")) {
            long poms = 0;
            for (JsonNode step : wf.get("jobs").get(job).get("steps")) {
                String run = step.path("run").asText();
                assertFalse(run.contains("versions-maven-plugin"), job + ": through release.sh poms, not by hand");
                poms += run.strip().equals(".github/scripts/release.sh poms \"$VERSION\"") ? 1 : 0;
            }
            assertEquals(1, poms, job);
        }

        Path repo = Files.createDirectories(tmp.resolve("poms"));
        Path hpi = Files.createDirectories(repo.resolve("jenkins-plugin/hpi")).resolve("pom.xml");
        Files.copy(ROOT.resolve("jenkins-plugin/hpi/pom.xml"), hpi);
        Path calls = tmp.resolve("mvnw-calls");
        Path mvnw = Files.writeString(tmp.resolve("mvnw"), "#!/bin/sh\necho \"$*\" >>" + calls + "\n");
        mvnw.toFile().setExecutable(true);
        Run poms = run(repo, Map.of("MVNW", mvnw.toString()), "bash",
                ROOT.resolve(".github/scripts/release.sh").toString(), "poms", "1.2.3");
        assertEquals(0, poms.code(), poms.out());
        assertEquals("-B -q org.codehaus.mojo:versions-maven-plugin:2.18.0:set -DnewVersion=1.2.3"
                + " -DgenerateBackupPoms=false -DprocessAllModules=true", Files.readString(calls).strip());

        List<String> before = Files.readAllLines(ROOT.resolve("jenkins-plugin/hpi/pom.xml"));
        List<String> after = Files.readAllLines(hpi);
        assertEquals(before.size(), after.size());
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                changed.add(after.get(i).strip());
            }
        }
        assertEquals(List.of("<version>1.2.3</version>", "<gatekeeper.version>1.2.3</gatekeeper.version>"), changed);
        org.w3c.dom.Document project = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(hpi.toFile());
        javax.xml.xpath.XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        assertEquals("1.2.3", xpath.evaluate("/project/version", project), "the .hpi's own version");
        assertEquals("1.2.3", xpath.evaluate("/project/properties/gatekeeper.version", project));
        assertEquals("${gatekeeper.version}", xpath.evaluate(
                "/project/dependencies/dependency[artifactId='gatekeeper-core']/version", project));
        assertNotEquals("1.2.3", xpath.evaluate("/project/parent/version", project), "the Jenkins parent");

        Files.writeString(hpi, "<project>\n  <version>1</version>\n</project>\n");
        Run broken = run(repo, Map.of(), "bash", ROOT.resolve(".github/scripts/release.sh").toString(),
                "hpi-version", "1.2.3");
        assertEquals(2, broken.code(), "a pom without the property is refused, not half-edited: " + broken.out());
        assertEquals("<project>\n  <version>1</version>\n</project>\n", Files.readString(hpi));
    }

    @Test
    void theRequestTagNamesTheVersion() throws Exception {
        String release = ROOT.resolve(".github/scripts/release.sh").toString();
        assertEquals("version=1.2.3\n", run(ROOT, Map.of(), "bash", release, "version", "release-v1.2.3").out());
        assertEquals(2, run(ROOT, Map.of(), "bash", release, "version", "v1.2.3").code());
        assertEquals(2, run(ROOT, Map.of(), "bash", release, "version", "release-vnext").code());
    }

    private Path scratchRepository() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve("github-action"));
        Files.copy(ROOT.resolve("github-action/action.yml"), repo.resolve("github-action/action.yml"));
        Files.createDirectories(repo.resolve("setup-gatekeeper"));
        Files.copy(ROOT.resolve("setup-gatekeeper/setup.sh"), repo.resolve("setup-gatekeeper/setup.sh"));
        Files.copy(ROOT.resolve("setup-gatekeeper/action.yml"), repo.resolve("setup-gatekeeper/action.yml"));
        Files.writeString(repo.resolve("pom.xml"), "<project><version>1.2.3</version></project>\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=Maintainer", "-c", "user.email=m@example.com", "commit", "-q", "-m", "request");
        return repo;
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Run r = run(repo, Map.of(), cmd.toArray(String[]::new));
        assertEquals(0, r.code(), String.join(" ", cmd) + ": " + r.out());
        return r.out().strip();
    }

    private static JsonNode step(JsonNode steps, String id) {
        for (JsonNode s : steps) {
            if (id.equals(s.path("id").asText())) {
                return s;
            }
        }
        throw new AssertionError("no step with id " + id);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
