package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installed scripts run with sh against a fake java: what the gate and the chained hook get, and when. */
class HookScriptTest {
    private static final String INPUT = "0000000000000000000000000000000000000000 "
            + "1111111111111111111111111111111111111111 refs/heads/main\n"
            + "2222222222222222222222222222222222222222 "
            + "3333333333333333333333333333333333333333 refs/tags/v1 with odd bytes \u00e9\n";

    @TempDir
    Path tmp;
    Path rec;
    Path repo;
    Path hook;
    HookRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        rec = Files.createDirectories(tmp.resolve("rec"));
        runtime = Fixtures.fakeRuntime(tmp.resolve("runtime"));
        repo = Fixtures.bare(tmp.resolve("app.git"));
        hook = repo.resolve("hooks/pre-receive");
    }

    private void installWithChainedHook() throws Exception {
        Fixtures.script(hook, Fixtures.recordingHook(rec));
        HookInstaller.Result r = new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call().get(0);
        assertTrue(r.ok(), () -> r.problem().orElse(""));
    }

    @Test
    void theGateRunsWithGitsInputAndTheTunedJvmOptions() throws Exception {
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, Map.of());

        assertEquals(0, run.exit(), run.stderr());
        Path out = tmp.resolve("runtime");
        assertEquals(INPUT, Fixtures.read(out.resolve("java.stdin")));
        List<String> args = Files.readAllLines(out.resolve("java.args"));
        int cp = args.indexOf("-cp");
        assertEquals(runtime.jvmOptions(), args.subList(0, cp));
        assertEquals(List.of("-cp", runtime.classpathString(), HookRuntime.MAIN_CLASS, "pre-receive"),
                args.subList(cp, args.size()));
        assertEquals("1", Fixtures.read(out.resolve("java.env")).strip(), "GIT_CONFIG_NOSYSTEM is exported");
    }

    @Test
    void theChainedHookGetsTheSameInputAndArgumentsOnlyAfterTheGatePassed() throws Exception {
        installWithChainedHook();

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, Map.of("TMPDIR", tmp.toString()), "arg one", "two");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals(INPUT, Fixtures.read(tmp.resolve("runtime/java.stdin")));
        assertEquals(INPUT, Fixtures.read(rec.resolve("chained.stdin")), "identical input");
        assertEquals(List.of("arg one", "two"), Files.readAllLines(rec.resolve("chained.args")));
        assertEquals("1", Fixtures.read(tmp.resolve("runtime/java.env")).strip());
        assertEquals("unset", Fixtures.read(rec.resolve("chained.env")).strip(),
                "the chained hook keeps git's environment");
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("gatekeeper-")),
                    "the buffered input is removed");
        }
    }

    @Test
    void aRefusingGateStopsThereWithItsExitStatus() throws Exception {
        installWithChainedHook();

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, Map.of("FAKE_GATE_EXIT", "3", "TMPDIR", tmp.toString()));

        assertEquals(3, run.exit());
        assertTrue(run.stderr().contains("fake gate ran"), run.stderr());
        assertFalse(Files.exists(rec.resolve("chained.stdin")), "the chained hook did not run");
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("gatekeeper-")));
        }
    }

    @Test
    void aChainedPostReceiveRunsWhateverTheRecorderSaysAndItsOwnStatusIsTheHooks() throws Exception {
        Path post = repo.resolve("hooks/post-receive");
        Fixtures.script(post, Fixtures.recordingHook(rec)); // a team's CI trigger, there before gatekeeper
        HookInstaller.Result r = new HookInstaller().setSelfTest(false).setRuntime(runtime)
                .setRepositories(List.of(repo)).call().get(0);
        assertTrue(r.ok(), () -> r.problem().orElse(""));

        Fixtures.Run run = Fixtures.sh(post, repo, INPUT, Map.of("FAKE_GATE_EXIT", "1", "FAKE_CHAINED_EXIT", "0",
                "TMPDIR", tmp.toString()));

        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("fake gate ran"), run.stderr());
        assertEquals(List.of("-cp", runtime.classpathString(), HookRuntime.MAIN_CLASS, "post-receive"),
                Files.readAllLines(tmp.resolve("runtime/java.args")).subList(runtime.jvmOptions().size(),
                        runtime.jvmOptions().size() + 4));
        assertEquals(INPUT, Fixtures.read(rec.resolve("chained.stdin")), "the team's hook still runs, same input");
        assertEquals(5, Fixtures.sh(post, repo, INPUT, Map.of("FAKE_CHAINED_EXIT", "5")).exit());
    }

    @Test
    void thePostReceiveScriptRecordsALandingPreReceivePreparedWithoutStartingJava() throws Exception {
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();
        Path post = repo.resolve("hooks/post-receive");
        Path landing = Files.createDirectories(repo.resolve("gatekeeper/landing"));
        byte[] in = INPUT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String base = dev.gatekeeper.gate.LandingNote.key(in) + "-1a2b";
        Files.write(landing.resolve(base + ".input"), in);
        Files.writeString(landing.resolve(base + ".note"), "v3\tprepared by pre-receive\n");

        Fixtures.Run run = Fixtures.sh(post, repo, INPUT, Map.of("TMPDIR", tmp.toString(), "GIT_DIR", "."));

        assertEquals(0, run.exit(), run.stderr());
        assertFalse(Files.exists(tmp.resolve("runtime/java.args")), "no JVM: " + run.stderr());
        assertTrue(Files.exists(landing.resolve(base + ".landed")), "the note is now a landing");
        assertFalse(Files.exists(landing.resolve(base + ".note")));

        // another input in the same bucket is not this push's note: the recorder runs the long way
        String other = INPUT.replace("refs/heads/main", "refs/heads/mainX");
        Files.write(landing.resolve(dev.gatekeeper.gate.LandingNote.key(other.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "-9.input"), in);
        Files.writeString(landing.resolve(dev.gatekeeper.gate.LandingNote.key(other.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "-9.note"), "v3\n");
        Fixtures.Run longWay = Fixtures.sh(post, repo, other, Map.of("TMPDIR", tmp.toString(), "GIT_DIR", "."));
        assertEquals(0, longWay.exit(), longWay.stderr());
        assertEquals(List.of("-cp", runtime.classpathString(), HookRuntime.MAIN_CLASS, "post-receive"),
                Files.readAllLines(tmp.resolve("runtime/java.args")).subList(runtime.jvmOptions().size(),
                        runtime.jvmOptions().size() + 4));
        assertEquals(other, Fixtures.read(tmp.resolve("runtime/java.stdin")));
    }

    @Test
    void aRefusingChainedHookRefusesThePush() throws Exception {
        installWithChainedHook();

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, Map.of("FAKE_CHAINED_EXIT", "7"));

        assertEquals(7, run.exit());
        assertEquals(INPUT, Fixtures.read(rec.resolve("chained.stdin")));
    }

    /** An environment with the recorded java, sh's tools, and no hook jar but the ones a test puts there. */
    private Map<String, String> noHookJarAnywhere() throws Exception {
        Map<String, String> env = noJavaAnywhere();
        env.put("PATH", "/usr/bin:/bin");
        return env;
    }

    /** An environment in which no java can be found but the ones a test puts there. */
    private Map<String, String> noJavaAnywhere() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc-empty"));
        return new java.util.HashMap<>(Map.of("PATH", "/nonexistent", "JAVA_HOME", "",
                "GATEKEEPER_CONFIG_DIR", etc.toString(), "GATEKEEPER_JAVA", ""));
    }

    @Test
    void aMissingJavaWithNoOtherFailsClosedWithOneLine() throws Exception {
        installWithChainedHook();
        Files.delete(runtime.java());

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, noJavaAnywhere());

        assertNotEquals(0, run.exit());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().startsWith("gatekeeper: pre-receive refused (fail closed): java runtime "
                + runtime.java() + " is missing"), run.stderr());
        assertTrue(run.stderr().contains("no other Java 17+ was found"), run.stderr());
        assertFalse(Files.exists(rec.resolve("chained.stdin")), "nothing else ran");
    }

    /** A fake java in {@code dir/bin/java} (a JDK's layout), optionally with a release file naming a version. */
    private Path fakeJdk(String name, String version) throws Exception {
        Path home = tmp.resolve(name);
        HookRuntime fake = Fixtures.fakeRuntime(home.resolve("bin"));
        if (version != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        }
        return fake.java();
    }

    private static boolean ran(Path java) {
        return Files.exists(java.resolveSibling("java.args"));
    }

    @Test
    void aGoneJavaFallsBackInTheDocumentedOrderAndRunsWithoutTheArchive() throws Exception {
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();
        Files.delete(runtime.java());
        Path configured = fakeJdk("configured", "21.0.1");
        Path fromFile = fakeJdk("from-file", "17.0.9");
        Path javaHome = fakeJdk("java-home", "25");
        Path onPath = fakeJdk("on-path", null);
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(etc.resolve("java"), "  " + fromFile + "  \n# ignored\n");
        Map<String, String> env = noJavaAnywhere();
        env.putAll(Map.of("GATEKEEPER_JAVA", configured.toString(), "GATEKEEPER_CONFIG_DIR", etc.toString(),
                "JAVA_HOME", javaHome.getParent().getParent().toString(), "PATH", onPath.getParent() + ":/usr/bin:/bin"));

        // 1. $GATEKEEPER_JAVA
        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, env);
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(ran(configured) && !ran(fromFile) && !ran(javaHome) && !ran(onPath));
        List<String> args = Files.readAllLines(configured.resolveSibling("java.args"));
        assertEquals(HookRuntime.defaultJvmOptions(Optional.empty()), args.subList(0, args.indexOf("-cp")),
                "the fallback runs without the recorded archive's options");
        assertEquals(INPUT, Fixtures.read(configured.resolveSibling("java.stdin")));
        // 2. the first line of $GATEKEEPER_CONFIG_DIR/java
        env.remove("GATEKEEPER_JAVA");
        assertEquals(0, Fixtures.sh(hook, repo, INPUT, env).exit());
        assertTrue(ran(fromFile) && !ran(javaHome) && !ran(onPath));
        // 3. $JAVA_HOME/bin/java
        Files.delete(etc.resolve("java"));
        assertEquals(0, Fixtures.sh(hook, repo, INPUT, env).exit());
        assertTrue(ran(javaHome) && !ran(onPath));
        // 4. java on PATH
        env.put("JAVA_HOME", tmp.resolve("no-such-jdk").toString());
        assertEquals(0, Fixtures.sh(hook, repo, INPUT, env).exit());
        assertTrue(ran(onPath));
    }

    @Test
    void aFallbackOlderThan17IsPassedOverAndTheGateLearnsWhichJavaRanIt() throws Exception {
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();
        Files.delete(runtime.java());
        Path old = fakeJdk("jdk11", "11.0.2");
        Path eight = fakeJdk("jdk8", "1.8.0_392");
        Path good = fakeJdk("jdk17", "17.0.15");
        Path recorder = Fixtures.script(good.resolveSibling("java"), "#!/bin/sh\n"
                + "printf '%s\\n%s\\n' \"$GATEKEEPER_HOOK_JAVA_MOVED\" \"$GATEKEEPER_HOOK_JAVA\" >"
                + HookScript.quote(good.resolveSibling("moved").toString()) + "\ncat >/dev/null\nexit 0\n");
        Map<String, String> env = noJavaAnywhere();
        env.put("GATEKEEPER_JAVA", old.toString());
        env.put("JAVA_HOME", eight.getParent().getParent().toString());
        env.put("PATH", recorder.getParent() + ":/usr/bin:/bin");

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, env);

        assertEquals(0, run.exit(), run.stderr());
        assertFalse(ran(old) || ran(eight), "Java 11 and 8 cannot run the gate");
        assertEquals(List.of(runtime.java().toString(), recorder.toString()),
                Files.readAllLines(good.resolveSibling("moved")));
    }

    @Test
    void aMissingJarWithNoOtherFailsClosedWithOneLineNamingWhereItLooked() throws Exception {
        Path linked = tmp.resolve("opt/gatekeeper/lib/hook/gatekeeper-hook.jar");
        runtime = runtime.withLinkedJar(linked);
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();
        Files.delete(runtime.classpath().get(0));
        Map<String, String> env = noHookJarAnywhere();
        // a file that is no hook jar is passed over: named here, and in the config file, and at the link
        Path notAJar = Files.writeString(tmp.resolve("notes.txt"), "not a jar\n");
        env.put(HookScript.ENV_JAR, notAJar.toString());
        Files.writeString(Path.of(env.get("GATEKEEPER_CONFIG_DIR")).resolve("hook-jar"), tmp.resolve("gone.jar") + "\n");
        Files.createDirectories(linked.getParent());
        Files.write(linked, new byte[] {'P', 'K', 3, 4});

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, env);

        assertEquals(HookScript.CONFIG_ERROR, run.exit());
        assertEquals("gatekeeper: pre-receive refused (fail closed): hook jar " + runtime.classpath().get(0)
                + " is missing, and no other Gatekeeper hook jar was found ($GATEKEEPER_HOOK_JAR, "
                + env.get("GATEKEEPER_CONFIG_DIR") + "/hook-jar, " + linked + "); reinstall the hook",
                run.stderr().strip());
        assertFalse(Files.exists(tmp.resolve("runtime/java.args")));
    }

    /** A java that writes the -cp it got and the moved-jar variables the script exported into {@code out}. */
    private void javaRecordingTheJar(Path out) throws Exception {
        Fixtures.script(runtime.java(), "#!/bin/sh\n"
                + "printf '%s\\n' \"$@\" >" + HookScript.quote(out + ".args") + "\n"
                + "printf '%s\\n%s\\n' \"${GATEKEEPER_HOOK_JAR_MOVED-unset}\" \"${GATEKEEPER_HOOK_JAR_USED-unset}\" >"
                + HookScript.quote(out + ".moved") + "\n"
                + "cat >/dev/null\nexit \"${FAKE_GATE_EXIT:-0}\"\n");
    }

    private List<String> usedClasspath(Path out) throws Exception {
        List<String> args = Files.readAllLines(Path.of(out + ".args"));
        return List.of(args.get(args.indexOf("-cp") + 1));
    }

    @Test
    void aGoneJarFallsBackInTheDocumentedOrderRunsWithoutTheArchiveAndTellsTheGate() throws Exception {
        Path linked = Fixtures.hookJar(tmp.resolve("opt/gatekeeper/lib/hook/gatekeeper-hook.jar"));
        Path archive = Files.write(tmp.resolve("runtime/hook.jsa"), new byte[] {1});
        runtime = runtime.withCdsArchive(archive).withLinkedJar(linked);
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();
        Path out = tmp.resolve("out");
        javaRecordingTheJar(out);
        Path recorded = runtime.classpath().get(0);
        Files.delete(recorded);
        Path named = Fixtures.hookJar(tmp.resolve("named/gatekeeper-hook.jar"));
        Path configured = Fixtures.hookJar(tmp.resolve("configured/gatekeeper-hook.jar"));
        Map<String, String> env = noHookJarAnywhere();
        Path etc = Path.of(env.get("GATEKEEPER_CONFIG_DIR"));
        Files.writeString(etc.resolve("hook-jar"), "  " + configured + "  \n# ignored\n");
        env.put(HookScript.ENV_JAR, named.toString());

        // 1. $GATEKEEPER_HOOK_JAR
        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, env);
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(List.of(named.toString()), usedClasspath(out));
        List<String> args = Files.readAllLines(Path.of(out + ".args"));
        assertEquals(HookRuntime.defaultJvmOptions(Optional.empty()), args.subList(0, args.indexOf("-cp")),
                "the archive was made for the recorded jar: the fallback runs without it");
        assertEquals(List.of(recorded.toString(), named.toString()), Files.readAllLines(Path.of(out + ".moved")));
        // 2. the first line of $GATEKEEPER_CONFIG_DIR/hook-jar
        env.remove(HookScript.ENV_JAR);
        assertEquals(0, Fixtures.sh(hook, repo, INPUT, env).exit());
        assertEquals(List.of(configured.toString()), usedClasspath(out));
        // 3. the jar through the link the install ran through
        Files.delete(etc.resolve("hook-jar"));
        assertEquals(0, Fixtures.sh(hook, repo, INPUT, env).exit());
        assertEquals(List.of(linked.toString()), usedClasspath(out));
        // the gate's verdict stays the hook's
        env.put("FAKE_GATE_EXIT", "3");
        assertEquals(3, Fixtures.sh(hook, repo, INPUT, env).exit());
    }

    @Test
    void whileTheRecordedJarIsThereNoOtherIsLookedAt() throws Exception {
        Path archive = Files.write(tmp.resolve("runtime/hook.jsa"), new byte[] {1});
        runtime = runtime.withCdsArchive(archive);
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();
        Path out = tmp.resolve("out");
        javaRecordingTheJar(out);
        Map<String, String> env = noHookJarAnywhere();
        env.put(HookScript.ENV_JAR, Fixtures.hookJar(tmp.resolve("named/gatekeeper-hook.jar")).toString());

        assertEquals(0, Fixtures.sh(hook, repo, INPUT, env).exit());

        assertEquals(List.of(runtime.classpathString()), usedClasspath(out));
        List<String> args = Files.readAllLines(Path.of(out + ".args"));
        assertEquals(runtime.jvmOptions(), args.subList(0, args.indexOf("-cp")), "the recorded options, archive too");
        assertEquals(List.of("unset", "unset"), Files.readAllLines(Path.of(out + ".moved")));
    }

    @Test
    void thePostReceiveRecorderRunsTheFallbackJarTooAndOnlyWarnsWhenThereIsNone() throws Exception {
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call();
        Path post = repo.resolve("hooks/post-receive");
        Path out = tmp.resolve("out");
        javaRecordingTheJar(out);
        Files.delete(runtime.classpath().get(0));
        Map<String, String> env = noHookJarAnywhere();
        env.putAll(Map.of("TMPDIR", tmp.toString(), "GIT_DIR", "."));

        Fixtures.Run none = Fixtures.sh(post, repo, INPUT, env);
        assertEquals(0, none.exit(), "the refs are written: a recorder never refuses\n" + none.stderr());
        assertTrue(none.stderr().contains("hook jar " + runtime.classpath().get(0) + " is missing"), none.stderr());
        assertFalse(Files.exists(Path.of(out + ".args")), "no java without a jar");

        Path configured = Fixtures.hookJar(tmp.resolve("configured/gatekeeper-hook.jar"));
        Files.writeString(Path.of(env.get("GATEKEEPER_CONFIG_DIR")).resolve("hook-jar"), configured + "\n");
        Fixtures.Run found = Fixtures.sh(post, repo, INPUT, env);
        assertEquals(0, found.exit(), found.stderr());
        assertEquals(List.of(configured.toString()), usedClasspath(out));
    }

    @Test
    void aMissingChainedHookFailsClosed() throws Exception {
        installWithChainedHook();
        Files.delete(repo.resolve("gatekeeper/chained/pre-receive"));

        Fixtures.Run run = Fixtures.sh(hook, repo, INPUT, Map.of());

        assertNotEquals(0, run.exit());
        assertTrue(run.stderr().contains("the chained hook " + repo.resolve("gatekeeper/chained/pre-receive")
                + " is missing"), run.stderr());
    }

    @Test
    void prePushPassesRemoteNameAndUrlToTheGateAndTheChainedHook() throws Exception {
        Path clone = Fixtures.clone(tmp.resolve("work"));
        Fixtures.script(clone.resolve(".git/hooks/pre-push"), Fixtures.recordingHook(rec));
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setClient(true).setRepositories(List.of(clone)).call();
        String pushInput = "refs/heads/main 1111111111111111111111111111111111111111 refs/heads/main "
                + "0000000000000000000000000000000000000000\n";

        Fixtures.Run run = Fixtures.sh(clone.resolve(".git/hooks/pre-push"), clone, pushInput, Map.of(), "origin",
                "https://example.invalid/app.git");

        assertEquals(0, run.exit(), run.stderr());
        List<String> args = Files.readAllLines(tmp.resolve("runtime/java.args"));
        assertEquals(List.of(HookRuntime.MAIN_CLASS, "pre-push", "origin", "https://example.invalid/app.git"),
                args.subList(args.size() - 4, args.size()));
        assertEquals(pushInput, Fixtures.read(tmp.resolve("runtime/java.stdin")));
        assertEquals(pushInput, Fixtures.read(rec.resolve("chained.stdin")));
        assertEquals(List.of("origin", "https://example.invalid/app.git"),
                Files.readAllLines(rec.resolve("chained.args")));
    }

    @Test
    void preCommitRunsTheGateThenTheChainedHookWithoutBufferingInput() throws Exception {
        Path clone = Fixtures.clone(tmp.resolve("work"));
        Fixtures.script(clone.resolve(".git/hooks/pre-commit"), Fixtures.recordingHook(rec));
        new HookInstaller().setSelfTest(false).setRuntime(runtime).setClient(true).setRepositories(List.of(clone)).call();
        Path preCommit = clone.resolve(".git/hooks/pre-commit");
        assertFalse(Fixtures.read(preCommit).contains("mktemp"), "git gives pre-commit no input");

        assertEquals(0, Fixtures.sh(preCommit, clone, "", Map.of()).exit());
        assertTrue(Files.exists(rec.resolve("chained.args")));
        Files.delete(rec.resolve("chained.args"));
        assertEquals(3, Fixtures.sh(preCommit, clone, "", Map.of("FAKE_GATE_EXIT", "3")).exit());
        assertFalse(Files.exists(rec.resolve("chained.args")));
    }

    @Test
    void pathsWithSpacesAndQuotesAreQuotedSafely() throws Exception {
        Path odd = tmp.resolve("it's a \"dir\" $HOME `x`");
        HookRuntime fake = Fixtures.fakeRuntime(odd);
        HookRuntime r = new HookRuntime(fake.java(), fake.classpath(),
                HookRuntime.defaultJvmOptions(Optional.empty()), Optional.empty());
        Path oddRepo = Fixtures.bare(tmp.resolve("repo with 'quote'.git"));
        Fixtures.script(oddRepo.resolve("hooks/pre-receive"), Fixtures.recordingHook(rec));
        new HookInstaller().setSelfTest(false).setRuntime(r).setRepositories(List.of(oddRepo)).call();

        Fixtures.Run run = Fixtures.sh(oddRepo.resolve("hooks/pre-receive"), oddRepo, INPUT, Map.of());

        assertEquals(0, run.exit(), run.stderr());
        assertEquals(INPUT, Fixtures.read(odd.resolve("java.stdin")));
        assertEquals(INPUT, Fixtures.read(rec.resolve("chained.stdin")));
        assertTrue(Files.readAllLines(odd.resolve("java.args")).contains(r.classpathString()));
    }

    @Test
    void gitItselfRunsTheInstalledHookAndAcceptsPushOptions() throws Exception {
        installWithChainedHook();
        Path work = Fixtures.clone(tmp.resolve("work"));
        Fixtures.git(work, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q",
                "--allow-empty", "-m", "first");
        String head = Fixtures.git(work, "rev-parse", "HEAD");

        Fixtures.Run refused = Fixtures.run(List.of("git", "push", "-q", repo.toString(), "HEAD:refs/heads/main"),
                work, Map.of("FAKE_GATE_EXIT", "3"), null);

        assertNotEquals(0, refused.exit());
        assertTrue(refused.stderr().contains("remote: fake gate ran"), refused.stderr());
        assertTrue(refused.stderr().contains("pre-receive hook declined"), refused.stderr());
        assertFalse(Files.exists(rec.resolve("chained.stdin")));

        Fixtures.Run accepted = Fixtures.run(List.of("git", "push", "-q", "-o", "gatekeeper-token=abc",
                repo.toString(), "HEAD:refs/heads/main"), work, Map.of(), null);

        assertEquals(0, accepted.exit(), accepted.stderr());
        String expected = "0000000000000000000000000000000000000000 " + head + " refs/heads/main\n";
        assertEquals(expected, Fixtures.read(tmp.resolve("runtime/java.stdin")));
        assertEquals(expected, Fixtures.read(rec.resolve("chained.stdin")));
        assertEquals("gatekeeper-token=abc", Fixtures.read(tmp.resolve("runtime/java.pushoption")).strip(),
                "receive.advertisePushOptions lets the pipeline's token through");
        assertEquals(head, Fixtures.git(repo, "rev-parse", "refs/heads/main"));
    }

    @Test
    void theScriptIsValidPosixShAndMarked() throws Exception {
        installWithChainedHook();
        String text = Fixtures.read(hook);
        assertTrue(HookScript.isManaged(Files.readAllBytes(hook)));
        assertFalse(HookScript.isManaged("#!/bin/sh\necho # gatekeeper-managed hook v1\n".getBytes()));
        assertTrue(HookScript.isManaged("#!/bin/sh\n# gatekeeper-managed hook v1\n".getBytes()), "older versions too");
        assertEquals(0, Fixtures.run(List.of("sh", "-n", hook.toString()), tmp, Map.of(), null).exit(), text);
    }

    @Test
    void quoting() {
        assertEquals("/usr/lib/jvm/bin/java", HookScript.quote("/usr/lib/jvm/bin/java"));
        assertEquals("-XX:SharedArchiveFile=/a/b.jsa", HookScript.quote("-XX:SharedArchiveFile=/a/b.jsa"));
        assertEquals("'a b'", HookScript.quote("a b"));
        assertEquals("'it'\\''s'", HookScript.quote("it's"));
        assertEquals("'$x'", HookScript.quote("$x"));
        assertEquals("''", HookScript.quote(""));
    }
}
