package dev.gatekeeper.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The .deb this build made, read as dpkg reads it (an ar archive of control.tar.gz and data.tar.gz), against the
 * distribution tarball it was made from: everything the distribution holds is in the package, unchanged, and what
 * the package adds agrees with its maintainer scripts. {@code deb/install-test.sh} installs it for real.
 */
class DebPackageIT {
    static final String PREFIX = "./usr/share/gatekeeper/";
    static final String HOOK_JAR = "/usr/share/gatekeeper/lib/hook/gatekeeper-hook.jar";

    static Map<String, Entry> data;
    static Map<String, Entry> control;
    static Map<String, Entry> dist;
    static Path deb;

    /** One archive member: its tar header fields and its bytes. */
    record Entry(String name, int mode, String user, String group, boolean directory, String linkTarget,
            byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void read() throws IOException {
        Path dir = Path.of(property("gatekeeper.deb.dir"));
        try (Stream<Path> s = Files.list(dir)) {
            // the newest: a snapshot's name carries its build time, and an earlier build may still be there
            deb = s.filter(p -> p.getFileName().toString().matches("gatekeeper_.+_all\\.deb"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified())).orElse(null);
        }
        assertNotNull(deb, "no gatekeeper_*_all.deb in " + dir + ": the module's package phase makes it");
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                members.put(e.getName(), ar.readAllBytes());
            }
        }
        assertEquals(List.of("debian-binary", "control.tar.gz", "data.tar.gz"), List.copyOf(members.keySet()),
                "the members dpkg expects, in its order");
        assertEquals("2.0\n", new String(members.get("debian-binary"), StandardCharsets.US_ASCII));
        control = tar(new java.io.ByteArrayInputStream(members.get("control.tar.gz")));
        data = tar(new java.io.ByteArrayInputStream(members.get("data.tar.gz")));
        dist = tar(Files.newInputStream(Path.of(property("gatekeeper.dist.tarball"))));
    }

    @Test
    void everyFileOfTheDistributionIsUnderUsrShareGatekeeperWithItsBytesAndMode() {
        int files = 0;
        for (Entry d : dist.values()) {
            String rel = rel(d);   // without gatekeeper-<version>/
            if (rel.isEmpty()) {
                continue;
            }
            Entry p = data.get(PREFIX + rel);
            assertNotNull(p, "the distribution's " + rel + " is not in the package");
            assertEquals(d.directory(), p.directory(), rel);
            assertEquals(Integer.toOctalString(d.mode() & 07777), Integer.toOctalString(p.mode() & 07777), rel);
            if (!d.directory()) {
                files++;
                assertTrue(java.util.Arrays.equals(d.bytes(), p.bytes()), rel + " differs from the distribution's");
            }
        }
        assertTrue(files >= 20, "the distribution has its jars, launcher, policies and units: " + files + " files");
        assertEquals(0755, data.get(PREFIX + "bin/gatekeeper").mode() & 0777, "the launcher is executable");
        assertNotNull(data.get(PREFIX + "lib/hook/gatekeeper-hook.jar"));
    }

    @Test
    void everythingIsRootsAndNothingLandsOutsideThePackagesPlaces() {
        List<String> allowed = List.of("./usr/share/gatekeeper/", "./usr/share/doc/gatekeeper/", "./usr/bin/gatekeeper",
                "./etc/gatekeeper/", "./lib/systemd/system/", "./usr/share/bash-completion/completions/gatekeeper");
        for (Entry e : data.values()) {
            assertEquals("root", e.user(), e.name());
            assertEquals("root", e.group(), e.name());
            if (!e.directory()) {
                assertTrue(allowed.stream().anyMatch(e.name()::startsWith), "unexpected path " + e.name());
            }
        }
    }

    @Test
    void usrBinGatekeeperAndTheHookRegistryAreLinksWhereTheScriptsExpectThem() {
        assertEquals("/usr/share/gatekeeper/bin/gatekeeper", data.get("./usr/bin/gatekeeper").linkTarget());
        String registry = data.get(PREFIX + "hook-registry").linkTarget();
        assertEquals("/var/lib/gatekeeper-hooks", registry);
        assertTrue(script("postinst").contains("install -d -m 1733 " + registry), "postinst makes the registry");
        assertTrue(script("prerm").contains("registry=" + registry), "prerm reads the registry");
        assertTrue(script("postrm").contains("rm -rf " + registry), "purge deletes the registry");
        assertTrue(script("prerm").contains("runtime=" + HOOK_JAR), "prerm recognises the package's own hooks");
        assertNotNull(data.get("." + HOOK_JAR), "the runtime prerm looks for is the package's hook jar");
    }

    @Test
    void bashCompletionFindsTheDistributionsCompletionScript() {
        String target = data.get("./usr/share/bash-completion/completions/gatekeeper").linkTarget();
        assertEquals("/usr/share/gatekeeper/completion/gatekeeper.bash", target);
        assertNotNull(data.get("." + target), "the script the link names is in the package");
    }

    @Test
    void theDistributionsPoliciesAreConffilesInEtcAndOnlyADefaultOneIsLive() {
        List<String> policies = new ArrayList<>();
        for (Entry d : dist.values()) {
            if (rel(d).matches("policies/[^/]+\\.policy\\.yaml")) {
                policies.add(rel(d).substring("policies/".length()));
                Entry etc = data.get("./etc/gatekeeper/" + policies.get(policies.size() - 1));
                assertNotNull(etc, rel(d) + " is not in /etc/gatekeeper");
                assertTrue(java.util.Arrays.equals(d.bytes(), etc.bytes()), rel(d));
            }
        }
        assertTrue(policies.contains("example.policy.yaml"), policies.toString());
        // /etc/gatekeeper/policy.yaml is what the gate reads when a repository has no policy of its own: shipped
        // only from a policy the distribution means as the default, never from the example (its repository: app
        // would bind every repository's pipeline tokens to "app")
        Entry source = distFile("policies/" + property("gatekeeper.deb.defaultPolicy"));
        Entry live = data.get("./etc/gatekeeper/policy.yaml");
        if (source == null) {
            assertEquals(null, live, "no default policy in the distribution: no live /etc/gatekeeper/policy.yaml");
        } else {
            assertNotNull(live, "/etc/gatekeeper/policy.yaml");
            assertTrue(java.util.Arrays.equals(source.bytes(), live.bytes()), "policy.yaml is " + source.name());
        }
        List<String> etcFiles = data.values().stream().filter(e -> !e.directory() && e.name().startsWith("./etc/"))
                .map(e -> e.name().substring(1)).sorted().toList();
        List<String> conffiles = control.get("./conffiles").text().lines().sorted().toList();
        assertEquals(etcFiles, conffiles, "every file in /etc is a conffile (an admin's edits survive upgrades)");
    }

    @Test
    void everySystemdUnitOfTheDistributionIsInstalledWithThePackagesPaths() {
        List<String> units = new ArrayList<>();
        for (Entry d : dist.values()) {
            String rel = rel(d);
            if (rel.startsWith("systemd/") && rel.matches("systemd/[^/]+\\.(service|timer|socket|path|target)")) {
                units.add(rel.substring("systemd/".length()));
            }
        }
        assertTrue(units.contains("gatekeeper-drift.service") && units.contains("gatekeeper-drift.timer"), units.toString());
        Pattern exec = Pattern.compile("(?m)^Exec\\w*=[-@+!:]*(\\S+)");
        Pattern user = Pattern.compile("(?m)^(User|Group)=(\\S+)");
        for (String unit : units) {
            Entry e = data.get("./lib/systemd/system/" + unit);
            assertNotNull(e, unit + " is not installed in /lib/systemd/system");
            assertEquals(0644, e.mode() & 0777, unit);
            assertFalse(e.text().contains("/opt/gatekeeper"), unit + " still names the tarball's path:\n" + e.text());
            Matcher m = exec.matcher(e.text());
            while (m.find()) {
                String bin = m.group(1);
                assertTrue(bin.equals("/usr/bin/gatekeeper") || !bin.contains("gatekeeper"),
                        unit + ": runs " + bin);
                if (bin.equals("/usr/bin/gatekeeper")) {
                    assertNotNull(data.get("./usr/bin/gatekeeper"));
                }
            }
            Matcher u = user.matcher(e.text());
            while (u.find()) {
                assertTrue(List.of("gatekeeper", "root").contains(u.group(2)),
                        unit + ": " + u.group(1) + "=" + u.group(2) + " is not a user the package makes");
            }
            // the same unit as in the distribution, but for the paths
            assertEquals(distFile("systemd/" + unit).text().replace("/opt/gatekeeper/bin/gatekeeper",
                    "/usr/bin/gatekeeper"), e.text(), unit);
        }
        assertTrue(script("postinst").contains("adduser --system --group") && script("postinst").contains(" gatekeeper"),
                "postinst makes the gatekeeper user the units run as");
    }

    @Test
    void theControlFileDependsOnAJava17RuntimeAndGitAndCarriesTheBuildsVersion() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : control.get("./control").text().lines().toList()) {
            if (!line.startsWith(" ") && line.contains(":")) {
                fields.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip());
            }
        }
        assertEquals("gatekeeper", fields.get("Package"));
        assertEquals("all", fields.get("Architecture"));
        List<String> depends = List.of(fields.get("Depends").split("\\s*,\\s*"));
        assertTrue(depends.stream().anyMatch(d -> d.contains("java17-runtime-headless")
                && d.contains("openjdk-17-jre-headless")), fields.get("Depends"));
        assertTrue(depends.contains("git"), fields.get("Depends"));
        assertTrue(depends.contains("adduser"), "postinst calls adduser: " + fields.get("Depends"));
        String version = fields.get("Version");
        String project = System.getProperty("gatekeeper.deb.projectVersion", "");
        assertTrue(version.matches("[0-9][0-9.]*(~[0-9]{14})?"), version);
        if (project.endsWith("-SNAPSHOT")) {
            assertTrue(version.startsWith(project.replace("-SNAPSHOT", "~")), version + " for " + project);
        } else if (!project.isEmpty()) {
            assertEquals(project, version);
        }
        assertTrue(deb.getFileName().toString().equals("gatekeeper_" + version + "_all.deb"), deb.toString());
        assertTrue(Long.parseLong(fields.get("Installed-Size")) > 1000, "Installed-Size in KiB");
    }

    @Test
    void theMaintainerScriptsAreExecutableAndParse() throws Exception {
        for (String name : List.of("postinst", "prerm", "postrm")) {
            Entry e = control.get("./" + name);
            assertNotNull(e, name);
            assertEquals(0755, e.mode() & 0777, name);
            assertTrue(e.text().startsWith("#!/bin/sh\n"), name);
            Path tmp = Files.createTempFile("deb-" + name, ".sh");
            try {
                Files.write(tmp, e.bytes());
                Process p = new ProcessBuilder("sh", "-n", tmp.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), name + " does not parse: " + out);
            } finally {
                Files.deleteIfExists(tmp);
            }
            assertFalse(e.text().contains("[["), name + " has an unreplaced jdeb variable");
        }
    }

    private static String script(String name) {
        return control.get("./" + name).text();
    }

    private static Entry distFile(String rel) {
        for (Entry d : dist.values()) {
            if (rel(d).equals(rel)) {
                return d;
            }
        }
        return null;
    }

    /** A distribution entry's path inside the distribution ("" for its top folder). */
    private static String rel(Entry d) {
        int slash = d.name().indexOf('/');
        return slash < 0 ? "" : d.name().substring(slash + 1);
    }

    private static Map<String, Entry> tar(InputStream gz) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(gz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                if (!name.startsWith("./") && !name.startsWith("gatekeeper-")) {
                    name = "./" + name;
                }
                if (name.endsWith("/") && name.length() > 2) {
                    name = name.substring(0, name.length() - 1);
                }
                out.put(name, new Entry(name, e.getMode(), e.getUserName(),
                        e.getGroupName(), e.isDirectory(), e.isSymbolicLink() ? e.getLinkName() : null,
                        e.isDirectory() ? new byte[0] : tar.readAllBytes()));
            }
        }
        return out;
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        assertNotNull(v, "-D" + name + " (set by the module's failsafe configuration): run through ./mvnw verify");
        return v;
    }
}
