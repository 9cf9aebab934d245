package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * After {@code package}: no class of the stubbed packages is in anything that ships. The stubs compile the plugin
 * and nothing else; a stub {@code hudson.FilePath} inside an .hpi would shadow Jenkins' own and break every build
 * that loads it. Checks the plugin jar, every jar of its runtime class path (where the .hpi's WEB-INF/lib comes
 * from) and, when this build made it, the CLI distribution tarball with the jars inside it.
 */
class PackagedArtifactsIT {
    static final List<String> STUB_PACKAGES = List.of("hudson/", "jenkins/", "org/jenkinsci/", "org/kohsuke/stapler/",
            "com/cloudbees/", "dev/gatekeeper/jenkins/stubs/");

    private static Path property(String name) {
        String v = System.getProperty(name);
        assertTrue(v != null && !v.isBlank(), "-D" + name + " (set by the module's failsafe configuration)");
        return Path.of(v);
    }

    @Test
    void thePluginJarHoldsTheStepsAndNoStub() throws IOException {
        Path jar = property("gatekeeper.plugin.jar");
        List<String> entries = entries(Files.readAllBytes(jar));
        assertTrue(entries.contains("dev/gatekeeper/jenkins/VerifyPushStep.class"), "the steps are in it");
        assertTrue(entries.contains("dev/gatekeeper/jenkins/WithGatekeeperTokenStep/help.html"), "and their help");
        assertTrue(entries.contains("index.jelly"));
        assertTrue(entries.contains("META-INF/annotations/hudson.Extension"),
                "the extension index Jenkins discovers the descriptors by (ExtensionIndexTest reads it)");
        assertTrue(entries.contains("dev/gatekeeper/jenkins/Probe/config.jelly"), "the list entries' forms");
        assertEquals(List.of(), stubClasses(entries), jar.toString());
    }

    @Test
    void theRuntimeClassPathHasNoStubsArtifactAndNoStubClass() throws IOException {
        String cp = Files.readString(property("gatekeeper.runtime.classpath"), StandardCharsets.UTF_8).strip();
        assertFalse(cp.isEmpty(), "core and its libraries are on it");
        List<String> problems = new ArrayList<>();
        for (String element : cp.split(File.pathSeparator)) {
            Path p = Path.of(element);
            if (p.getFileName().toString().contains("jenkins-api-stubs") || element.contains("stubs/target")) {
                problems.add("the stubs artifact is on the runtime class path: " + element);
            } else if (Files.isRegularFile(p) && element.endsWith(".jar")) {
                stubClasses(entries(Files.readAllBytes(p))).forEach(c -> problems.add(p.getFileName() + "!" + c));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCliDistributionHasNoStubClass() throws IOException {
        Path target = property("gatekeeper.cli.target");
        List<Path> tarballs;
        try (Stream<Path> s = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            tarballs = s.filter(p -> p.getFileName().toString().endsWith(".tar.gz")).toList();
        }
        assumeTrue(!tarballs.isEmpty(), "the CLI distribution was not built before this module in this build");
        for (Path tgz : tarballs) {
            List<String> problems = new ArrayList<>();
            int jars = 0;
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
                for (TarEntry next = TarEntry.next(in); next != null; next = TarEntry.next(in)) {
                    TarEntry e = next;
                    if (e.name().endsWith(".class")) {
                        stubClasses(List.of(e.name())).forEach(problems::add);
                    } else if (e.name().endsWith(".jar")) {
                        jars++;
                        if (e.name().contains("jenkins-api-stubs")) {
                            problems.add(e.name());
                        }
                        stubClasses(entries(e.content())).forEach(c -> problems.add(e.name() + "!" + c));
                    }
                }
            }
            assertTrue(jars > 0, tgz + " holds the CLI's jars");
            assertEquals(List.of(), problems, tgz.toString());
        }
    }

    static List<String> stubClasses(List<String> entries) {
        return entries.stream().filter(e -> e.endsWith(".class"))
                .filter(e -> STUB_PACKAGES.stream().anyMatch(e::startsWith)).toList();
    }

    private static List<String> entries(byte[] jar) throws IOException {
        List<String> out = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                out.add(e.getName());
            }
        }
        return out;
    }

    /** One entry of a ustar/GNU tar stream (what maven-assembly-plugin writes): name and content. */
    private record TarEntry(String name, byte[] content) {
        static TarEntry next(InputStream in) throws IOException {
            String longName = null;
            while (true) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || header[0] == 0) {
                    return null;
                }
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                String octal = text(header, 124, 12).trim();
                long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
                byte type = header[156];
                byte[] content = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'L') {
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                String full = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
                return new TarEntry(full, content);
            }
        }

        private static String text(byte[] b, int off, int len) {
            int end = off;
            while (end < off + len && b[end] != 0) {
                end++;
            }
            return new String(b, off, end - off, StandardCharsets.US_ASCII);
        }
    }
}
