package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookRuntimeTest {
    private static final String FAKE_MAIN = "package dev.gatekeeper.hooks;\n"
            + "public final class HookMain {\n"
            + "    public static void main(String[] args) {\n"
            + "        String s = java.util.stream.Stream.of(args).map(String::toUpperCase)\n"
            + "                .collect(java.util.stream.Collectors.joining(\",\"));\n"
            + "        if (!args[0].equals(\"--train\")) System.out.println(\"ran \" + s);\n"
            + "    }\n"
            + "}\n";

    @TempDir
    Path tmp;

    @Test
    void currentUsesThisJvmWithTheStartUpOptionsAndNoArchive() {
        HookRuntime r = HookRuntime.current(List.of(Path.of("lib/a.jar")));

        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath().normalize(), r.java());
        assertEquals(List.of(Path.of("lib/a.jar").toAbsolutePath().normalize()), r.classpath(), "made absolute");
        assertEquals(List.of("-Xlog:disable", "-Xlog:all=off", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-XX:-UsePerfData", "-Xss512k"), r.jvmOptions());
        assertEquals(Optional.empty(), r.cdsArchive());
    }

    @Test
    void anArchiveIsOnlyNamedWhenItExists() throws Exception {
        HookRuntime r = HookRuntime.current(List.of(tmp));
        assertEquals(r.jvmOptions(), r.withCdsArchive(tmp.resolve("none.jsa")).jvmOptions());
        Path archive = Files.writeString(tmp.resolve("hooks.jsa"), "x");
        HookRuntime with = r.withCdsArchive(archive);
        assertEquals(Optional.of(archive), with.cdsArchive());
        assertTrue(with.jvmOptions().contains("-XX:SharedArchiveFile=" + archive), with.jvmOptions().toString());
        assertEquals(r.jvmOptions(), with.withoutCdsArchive().jvmOptions());
    }

    @Test
    void thisJvmAcceptsTheOptionsAndPrintsNothingEvenForAMissingArchive() throws Exception {
        List<String> cmd = new ArrayList<>();
        HookRuntime r = HookRuntime.current(List.of(fakeHookJar()));
        cmd.add(r.java().toString());
        cmd.addAll(r.jvmOptions());
        cmd.add("-XX:SharedArchiveFile=" + tmp.resolve("gone.jsa"));
        cmd.addAll(List.of("-cp", r.classpathString(), HookRuntime.MAIN_CLASS, "pre-receive"));

        Fixtures.Run run = Fixtures.run(cmd, tmp, Map.of(), null);

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("ran PRE-RECEIVE\n", run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void createsAUsableArchiveAtomically() throws Exception {
        HookRuntime r = HookRuntime.current(List.of(fakeHookJar()));
        Path archive = tmp.resolve("cds/hooks.jsa");

        HookRuntime.CdsResult result = r.createCdsArchive(archive);

        assertTrue(result.archived(), result.problem().orElse(""));
        assertTrue(Files.size(archive) > 0);
        assertEquals(Optional.of(archive), result.runtime().cdsArchive());
        assertTrue(result.runtime().jvmOptions().contains("-XX:SharedArchiveFile=" + archive));
        assertOnlyTheArchiveIn(archive.getParent());
        // -Xshare:on fails loudly when the archive cannot be used: so it can.
        List<String> cmd = new ArrayList<>(List.of(r.java().toString(), "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-cp", r.classpathString(), HookRuntime.MAIN_CLASS, "x"));
        Fixtures.Run strict = Fixtures.run(cmd, tmp, Map.of(), null);
        assertEquals(0, strict.exit(), strict.stdout() + strict.stderr());
        // What a hook runs: silent apart from the gate's own output.
        Fixtures.Run hook = runWith(result.runtime(), result.runtime().classpath());
        assertEquals("ran PRE-RECEIVE\n", hook.stdout());
        assertEquals("", hook.stderr());
    }

    @Test
    void aStaleArchiveNeverReachesThePusher() throws Exception {
        HookRuntime r = HookRuntime.current(List.of(fakeHookJar()));
        HookRuntime archived = r.createCdsArchive(tmp.resolve("hooks.jsa")).runtime();
        Path extra = tmp.resolve("extra.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(extra))) {
            j.putNextEntry(new JarEntry("x.txt"));
        }
        List<Path> changed = new ArrayList<>(List.of(extra));
        changed.addAll(archived.classpath());

        Fixtures.Run run = runWith(archived, changed); // the class path no longer matches the archive

        assertEquals(0, run.exit());
        assertEquals("ran PRE-RECEIVE\n", run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void concurrentInstallersBothGetAValidArchive() throws Exception {
        HookRuntime r = HookRuntime.current(List.of(fakeHookJar()));
        Path archive = tmp.resolve("cds/hooks.jsa");

        CompletableFuture<HookRuntime.CdsResult> a = CompletableFuture.supplyAsync(() -> r.createCdsArchive(archive));
        CompletableFuture<HookRuntime.CdsResult> b = CompletableFuture.supplyAsync(() -> r.createCdsArchive(archive));

        assertTrue(a.get().archived(), a.get().problem().orElse(""));
        assertTrue(b.get().archived(), b.get().problem().orElse(""));
        assertOnlyTheArchiveIn(archive.getParent());
        List<String> cmd = List.of(r.java().toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp",
                r.classpathString(), HookRuntime.MAIN_CLASS, "x");
        assertEquals(0, Fixtures.run(cmd, tmp, Map.of(), null).exit());
    }

    @Test
    void aFailedArchiveGivesTheRuntimeWithoutOneAndTheReason() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(classes.resolve("not-a-class.txt"), "x"); // a non-empty folder: the JVM cannot archive
        HookRuntime r = HookRuntime.current(List.of(classes));
        Path archive = tmp.resolve("cds/hooks.jsa");

        HookRuntime.CdsResult result = r.createCdsArchive(archive);

        assertFalse(result.archived());
        assertTrue(result.problem().orElseThrow().startsWith("no class-data-sharing archive"), result.problem().get());
        assertEquals(Optional.empty(), result.runtime().cdsArchive());
        assertTrue(result.runtime().jvmOptions().stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile")));
        assertFalse(Files.exists(archive));
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertEquals(0, left.count(), "no temporary file is left");
        }
    }

    private Fixtures.Run runWith(HookRuntime r, List<Path> classpath) throws Exception {
        HookRuntime x = new HookRuntime(r.java(), classpath, r.jvmOptions(), r.cdsArchive());
        List<String> cmd = new ArrayList<>();
        cmd.add(x.java().toString());
        cmd.addAll(x.jvmOptions());
        cmd.addAll(List.of("-cp", x.classpathString(), HookRuntime.MAIN_CLASS, "pre-receive"));
        return Fixtures.run(cmd, tmp, Map.of(), null);
    }

    private static void assertOnlyTheArchiveIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("hooks.jsa"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** A jar holding a stand-in HookMain: archiving needs a jar, and the real one lives in another module. */
    private Path fakeHookJar() throws Exception {
        Path src = tmp.resolve("src/dev/gatekeeper/hooks/HookMain.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, FAKE_MAIN, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(tmp.resolve("fake-classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc);
        Path jar = tmp.resolve("lib/gatekeeper-hooks.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("dev/gatekeeper/hooks/HookMain.class"));
            j.write(Files.readAllBytes(classes.resolve("dev/gatekeeper/hooks/HookMain.class")));
            j.closeEntry();
        }
        return jar;
    }
}
