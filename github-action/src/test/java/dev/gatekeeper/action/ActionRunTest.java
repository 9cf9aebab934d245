package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the entry point as the runner would: INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, a real git clone. */
class ActionRunTest {

    @TempDir
    Path tmp;

    Path home;
    Path workspace;
    Path remote;
    Map<String, String> gitEnv;

    @BeforeEach
    void repository() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        workspace = tmp.resolve("workspace");
        remote = tmp.resolve("remote.git");
        gitEnv = new HashMap<>();
        gitEnv.put("HOME", home.toString());
        gitEnv.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        gitEnv.put("GIT_CONFIG_NOSYSTEM", "1");
        gitEnv.put("GIT_AUTHOR_NAME", "Agent");
        gitEnv.put("GIT_AUTHOR_EMAIL", "agent@example.com");
        gitEnv.put("GIT_COMMITTER_NAME", "Agent");
        gitEnv.put("GIT_COMMITTER_EMAIL", "agent@example.com");
        git(tmp, "init", "-q", "--bare", "-b", "main", remote.toString());
        git(tmp, "init", "-q", "-b", "main", workspace.toString());
        Files.writeString(workspace.resolve("README"), "hello\n");
        git(workspace, "add", "README");
        git(workspace, "commit", "-q", "-m", "first");
        git(workspace, "remote", "add", "origin", remote.toString());
        git(workspace, "push", "-q", "-u", "origin", "main");
    }

    @Test
    void verifyPushVerified() throws Exception {
        Run r = run(Map.of("INPUT_COMMAND", "verify-push", "INPUT_ARGS", "--timeout 1s"));
        assertEquals(0, r.code, r.toString());
        Map<String, String> o = r.outputs();
        assertEquals("verified", o.get("verdict"));
        assertEquals("0", o.get("exit-code"));
        assertEquals(git(workspace, "rev-parse", "HEAD"), o.get("remote-sha"));
        assertEquals("", o.get("revert-sha"));
        assertTrue(Files.isRegularFile(Path.of(o.get("report-path"))), o.toString());
        assertTrue(Files.readString(Path.of(o.get("report-path"))).contains("\"verdict\":\"verified\""));
        assertFalse(r.out.contains("::error"), r.out);
        assertTrue(r.summary().contains("### gatekeeper verify-push: verified (exit 0)"), r.summary());
    }

    @Test
    void verifyPushNotVerified() throws Exception {
        Files.writeString(workspace.resolve("README"), "claimed but never pushed\n");
        git(workspace, "commit", "-q", "-am", "second");
        Run r = run(Map.of("INPUT_COMMAND", "verify-push", "INPUT_ARGS", "--timeout 300ms"));
        assertEquals(3, r.code, r.toString());
        Map<String, String> o = r.outputs();
        assertEquals("not-verified", o.get("verdict"));
        assertEquals("3", o.get("exit-code"));
        assertEquals(git(remote, "rev-parse", "main"), o.get("remote-sha"));
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("::error title=gatekeeper verify-push::")), r.out);
        assertTrue(r.summary().contains("not-verified (exit 3)"), r.summary());
    }

    @Test
    void workingDirectoryInput() throws Exception {
        Path sub = workspace.getParent().resolve("ws2");
        Files.createDirectories(sub);
        Map<String, String> env = new HashMap<>(Map.of("INPUT_COMMAND", "verify-push", "INPUT_ARGS", "--timeout 1s",
                "INPUT_WORKING_DIRECTORY", "workspace"));
        env.put("GITHUB_WORKSPACE", tmp.toString());
        Run r = run(env);
        assertEquals(0, r.code, r.toString());
    }

    @Test
    void policyCheckBrokenPolicy() throws Exception {
        Files.createDirectories(workspace.resolve("policies"));
        Files.writeString(workspace.resolve("policies/broken.yaml"),
                "version: 1\nprotected:\n  - ref: refs/heads/main\n    colour: blue\n");
        Run r = run(Map.of("INPUT_COMMAND", "policy-check", "INPUT_POLICY", "policies/broken.yaml"));
        assertEquals(2, r.code, r.toString());
        assertEquals("invalid", r.outputs().get("verdict"));
        assertTrue(r.out.lines().anyMatch(l -> l.matches(
                "::error file=policies/broken\\.yaml,line=4,col=\\d+,title=gatekeeper policy-check::.*colour.*")),
                r.out);
    }

    @Test
    void policyCheckProblemsComeAsFieldsNotParsedText() throws Exception {
        // ':' and ', ' in the path and two problems: taken from policy check --json, escaped as properties
        Path dir = Files.createDirectories(workspace.resolve("team:a, b"));
        Files.writeString(dir.resolve("p.yaml"), "version: 1\nprotected:\n  - ref: refs/heads/main\n    colour: blue\n"
                + "  - ref: refs/heads/dev\n    shade: red\n");
        Run r = run(Map.of("INPUT_COMMAND", "policy-check", "INPUT_POLICY", "team:a, b/p.yaml"));
        assertEquals(2, r.code, r.toString());
        List<String> errors = r.out.lines().filter(l -> l.startsWith("::error")).toList();
        assertEquals(List.of(
                "::error file=team%3Aa%2C b/p.yaml,line=4,col=5,title=gatekeeper policy-check::'colour': unknown key"
                        + " (allowed: allowDeletion, allowForcePush, howToLand, pushers, ref, signedPush, token)",
                "::error file=team%3Aa%2C b/p.yaml,line=6,col=5,title=gatekeeper policy-check::'shade': unknown key"
                        + " (allowed: allowDeletion, allowForcePush, howToLand, pushers, ref, signedPush, token)"),
                errors, r.out);
        assertTrue(r.summary().contains("2 problems, the first: " + dir.resolve("p.yaml") + ":4:5: 'colour'"),
                r.summary());
    }

    @Test
    void policyCheckValidPolicy() throws Exception {
        Files.writeString(workspace.resolve("ok.yaml"),
                "version: 1\nprotected:\n  - ref: refs/heads/main\n");
        Run r = run(Map.of("INPUT_COMMAND", "policy-check", "INPUT_POLICY", "ok.yaml"));
        assertEquals(0, r.code, r.toString());
        assertEquals("valid", r.outputs().get("verdict"));
        assertEquals(ActionMain.OUTPUTS, new ArrayList<>(r.outputs().keySet()));
        assertTrue(r.summary().contains("valid: " + workspace.resolve("ok.yaml") + " (1 protected ref pattern)"),
                r.summary());
        assertEquals("", r.outputs().get("report-path"), "policy-check writes no report");
    }

    @Test
    void driftScanCleanCheckout() throws Exception {
        Run r = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                "--checkout '" + workspace + "@main' --state '" + tmp.resolve("state/drift.json") + "'"));
        assertEquals(0, r.code, r.toString());
        assertEquals("clean", r.outputs().get("verdict"));
        assertEquals("0", r.outputs().get("drift-count"));
    }

    @Test
    void driftScanDirtyCheckout() throws Exception {
        Files.writeString(workspace.resolve("hotfix.txt"), "edited on the server\n");
        Run r = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                "--checkout '" + workspace + "@main' --state '" + tmp.resolve("state/drift.json") + "'"));
        assertEquals(3, r.code, r.toString());
        assertEquals("drift", r.outputs().get("verdict"));
        assertTrue(Integer.parseInt(r.outputs().get("drift-count")) >= 1, r.outputs().toString());
        assertTrue(r.out.contains("::error title=gatekeeper drift-scan::"), r.out);
    }

    @Test
    void driftScanRelativePathsResolveAgainstWorkingDirectory() throws Exception {
        // the workspace holds the clone in workspace/; the config inside it names the checkout relative to itself
        Files.createDirectories(workspace.resolve("ops"));
        Files.writeString(workspace.resolve("ops/drift.yaml"), "version: 1\ntargets:\n  - checkout: ..\n"
                + "    branch: main\n");
        Files.writeString(workspace.resolve(".git/info/exclude"), "ops/\n");
        Map<String, String> env = new HashMap<>(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                "--config ops/drift.yaml --state ops/drift-state.json", "INPUT_WORKING_DIRECTORY", "workspace"));
        env.put("GITHUB_WORKSPACE", tmp.toString());
        Run r = run(env);
        assertEquals(0, r.code, r.toString());
        assertEquals("clean", r.outputs().get("verdict"));
        assertTrue(Files.isRegularFile(workspace.resolve("ops/drift-state.json")), "state under working-directory");

        Files.writeString(workspace.resolve("hotfix.txt"), "edited on the server\n");
        r = run(env);
        assertEquals(3, r.code, r.toString());
        assertEquals("1", r.outputs().get("drift-count"), r.out);
    }

    @Test
    void stabilizeHealthy() throws Exception {
        Run r = run(Map.of("INPUT_COMMAND", "stabilize", "INPUT_ARGS",
                "--branch main --wait 0s --samples 1 --interval 0s --probe 'cmd:true'"));
        assertEquals(0, r.code, r.toString());
        assertEquals("healthy", r.outputs().get("verdict"));
        assertEquals("", r.outputs().get("revert-sha"));
        assertTrue(Files.isRegularFile(Path.of(r.outputs().get("report-path"))));
    }

    @Test
    void stabilizeDryRunWouldRevert() throws Exception {
        Files.writeString(workspace.resolve("README"), "the merge\n");
        git(workspace, "commit", "-q", "-am", "merge");
        git(workspace, "push", "-q", "origin", "main");
        Run r = run(Map.of("INPUT_COMMAND", "stabilize", "INPUT_ARGS",
                "--branch main --wait 0s --samples 1 --interval 0s --probe 'cmd:exit 1' --dry-run"));
        assertEquals(3, r.code, r.toString());
        assertEquals("would-revert", r.outputs().get("verdict"));
        assertTrue(r.out.contains("::error title=gatekeeper stabilize::"), r.out);
        assertEquals(git(remote, "rev-parse", "main"), git(workspace, "rev-parse", "HEAD"), "a dry run pushes nothing");
    }

    @Test
    void unknownCommandIsUsage() throws Exception {
        Run r = run(Map.of("INPUT_COMMAND", "deploy"));
        assertEquals(2, r.code);
        assertEquals("usage-error", r.outputs().get("verdict"));
        assertEquals(ActionMain.OUTPUTS, new ArrayList<>(r.outputs().keySet()));
        assertTrue(r.out.startsWith("::error title=gatekeeper::input 'command' must be"), r.out);
    }

    @Test
    void anUnknownOptionInArgsIsAUsageErrorNamedAsTheOption() throws Exception {
        // was an internal error (exit 1): picocli's exception reached the outcome unmapped
        for (String command : List.of("drift-scan", "stabilize", "verify-push")) {
            Run r = run(Map.of("INPUT_COMMAND", command, "INPUT_ARGS", "--colour blue"));
            assertEquals(2, r.code, r.toString());
            assertEquals("usage-error", r.outputs().get("verdict"));
            assertTrue(r.out.contains("--colour"), r.out);
        }
    }

    @Test
    void tokenIsMaskedBeforeAnythingElse() throws Exception {
        String token = "ghs_s3cr3tTOKENvalue";
        Files.writeString(workspace.resolve("README"), "claimed\n");
        git(workspace, "commit", "-q", "-am", "second");
        Run r = run(Map.of("INPUT_COMMAND", "verify-push", "INPUT_ARGS", "--timeout 200ms", "INPUT_TOKEN", token));
        assertEquals(3, r.code);
        List<String> lines = r.out.lines().toList();
        assertEquals("::add-mask::" + token, lines.get(0));
        assertEquals(1, count(r.out, token), r.out);
        assertFalse(r.err.contains(token), r.err);
        assertFalse(r.summary().contains(token));
        assertFalse(Files.readString(tmp.resolve("output")).contains(token));
    }

    @Test
    void reportPathInAContainerActionIsTheHostPathOfGithubHome() {
        // the runner's container: HOME and GITHUB_WORKSPACE translated, RUNNER_TEMP the host's (not mounted)
        Path[] c = ActionMain.reportDirs(Map.of("RUNNER_TEMP", "/home/runner/work/_temp", "HOME", "/github/home",
                "GITHUB_WORKSPACE", "/github/workspace"), Path.of("/github/workspace"));
        assertEquals(Path.of("/github/home"), c[0]);
        assertEquals(Path.of("/home/runner/work/_temp/_github_home"), c[1]);
        // run directly: RUNNER_TEMP as it is
        Path[] d = ActionMain.reportDirs(Map.of("RUNNER_TEMP", "/tmp/rt", "HOME", "/home/me",
                "GITHUB_WORKSPACE", "/w"), Path.of("/w"));
        assertEquals(Path.of("/tmp/rt"), d[0]);
        assertEquals(Path.of("/tmp/rt"), d[1]);
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }

    // --- plumbing

    record Run(int code, String out, String err, Path outputFile, Path summaryFile) {
        Map<String, String> outputs() throws IOException {
            return parseOutputs(Files.readString(outputFile));
        }

        String summary() throws IOException {
            return Files.readString(summaryFile);
        }
    }

    /** Parses GITHUB_OUTPUT as the runner does: name<<DELIM ... DELIM, or name=value. */
    static Map<String, String> parseOutputs(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        Pattern heredoc = Pattern.compile("^([A-Za-z0-9_-]+)<<(ghadelimiter_[0-9a-f-]{36})$");
        for (int i = 0; i < lines.size(); i++) {
            Matcher h = heredoc.matcher(lines.get(i));
            if (!h.matches()) {
                throw new AssertionError("not the multi-line form: " + lines.get(i));
            }
            StringBuilder v = new StringBuilder();
            int j = i + 1;
            while (!lines.get(j).equals(h.group(2))) {
                v.append(v.length() == 0 && j == i + 1 ? "" : "\n").append(lines.get(j));
                j++;
            }
            m.put(h.group(1), v.toString());
            i = j;
        }
        return m;
    }

    Run run(Map<String, String> inputs) throws IOException {
        Map<String, String> env = new HashMap<>(gitEnv);
        Path output = tmp.resolve("output");
        Path summary = tmp.resolve("summary.md");
        Files.deleteIfExists(output);
        Files.deleteIfExists(summary);
        env.put("GITHUB_OUTPUT", output.toString());
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        env.put("GITHUB_WORKSPACE", workspace.toString());
        env.put("RUNNER_TEMP", Files.createDirectories(tmp.resolve("runner-temp")).toString());
        env.put("GITHUB_ACTIONS", "true");
        env.putAll(inputs);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = ActionMain.run(env, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8), output, summary);
    }

    String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(gitEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out.strip();
    }
}
