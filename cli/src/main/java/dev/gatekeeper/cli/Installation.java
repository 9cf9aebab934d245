package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.HookRegistry;
import dev.gatekeeper.install.HookRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where this Gatekeeper is installed ({@code -Dgatekeeper.home}, set by {@code bin/gatekeeper}) and the hook
 * runtime it gives installed hooks: this JVM, the distribution's single hook jar and, when it can be made, a
 * class-data-sharing archive next to it (or in the user's cache when the distribution is read-only).
 */
final class Installation {
    static final String HOME_PROPERTY = "gatekeeper.home";

    private Installation() {}

    static Path home() throws GatekeeperException {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new GatekeeperException(ExitCode.USAGE,
                    "cannot tell where Gatekeeper is installed; run it through bin/gatekeeper (or ./gatekeeper)");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /** Where a packaged installation keeps its hook registry: a folder (or a link to one) in the distribution. */
    static final String REGISTRY = "hook-registry";

    /**
     * The registry of repositories this installation put hooks into, when the distribution has one: the Debian
     * package links {@code /usr/share/gatekeeper/hook-registry} to {@code /var/lib/gatekeeper-hooks}, so that its
     * {@code prerm} can uninstall them before the runtime they name is deleted. The plain tarball has none.
     */
    static java.util.Optional<HookRegistry> registry() throws GatekeeperException {
        Path dir = home().resolve(REGISTRY);
        if (!Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new HookRegistry(dir.toRealPath()));
        } catch (IOException e) {
            return java.util.Optional.of(new HookRegistry(dir));
        }
    }

    /** Whether the distribution names a registry that is not there (a link to a folder that was deleted). */
    static boolean registryBroken() throws GatekeeperException {
        Path dir = home().resolve(REGISTRY);
        return Files.isSymbolicLink(dir) && !Files.isDirectory(dir);
    }

    /** The distribution's folder as reached through a link ({@code bin/gatekeeper} passes it), when it is one. */
    static final String LINKED_HOME_PROPERTY = "gatekeeper.home.linked";
    static final String HOOK_JAR = "lib/hook/gatekeeper-hook.jar";

    static Path hookJar() throws GatekeeperException {
        Path jar = home().resolve(HOOK_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new GatekeeperException(ExitCode.USAGE, "the hook jar is missing: " + jar);
        }
        return jar;
    }

    /**
     * @param withArchive make (or reuse) the CDS archive; without it the hook still works, ~2x slower to start
     */
    static HookRuntime hookRuntime(boolean withArchive, java.io.PrintWriter log) throws GatekeeperException {
        return hookRuntime(withArchive, log, null);
    }

    /**
     * @param java the java hooks run (null: the one running this command as {@code bin/gatekeeper} invoked it, a
     *     stable alias such as {@code /usr/bin/java} rather than the JDK folder it resolves to)
     */
    static HookRuntime hookRuntime(boolean withArchive, java.io.PrintWriter log, Path java)
            throws GatekeeperException {
        Path chosen = java != null ? java.toAbsolutePath().normalize() : invokedJava();
        if (!Files.isExecutable(chosen)) {
            throw new GatekeeperException(ExitCode.USAGE, "the java " + chosen + " does not exist or is not"
                    + " executable");
        }
        HookRuntime runtime = HookRuntime.of(chosen, List.of(hookJar())).withLinkedJar(linkedHookJar().orElse(null));
        if (!withArchive) {
            return runtime;
        }
        Path archive = archivePath(chosen);
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(hookJar())) > 0) {
                return runtime.withCdsArchive(archive);
            }
        } catch (IOException e) {
            // fall through and make a new one
        }
        HookRuntime.CdsResult made = runtime.createCdsArchive(archive);
        if (!made.archived()) {
            log.println("gatekeeper: note: hooks will run without a class-data-sharing archive (slower start): "
                    + made.problem().orElse("unknown reason"));
        }
        return made.runtime();
    }

    /**
     * The hook jar through the link this command was run through ({@code /opt/gatekeeper/lib/hook/...} when
     * {@code /opt/gatekeeper} links to {@code versions/A}), when that is another path to the same file: after an
     * upgrade repoints the link, it is the new version's jar, which a hook uses when the recorded one is deleted.
     */
    static java.util.Optional<Path> linkedHookJar() throws GatekeeperException {
        String linked = System.getProperty(LINKED_HOME_PROPERTY);
        if (linked == null || linked.isBlank()) {
            return java.util.Optional.empty();
        }
        Path jar = Path.of(linked).toAbsolutePath().normalize().resolve(HOOK_JAR);
        Path recorded = hookJar();
        try {
            return jar.equals(recorded) || !Files.isSameFile(jar, recorded) ? java.util.Optional.empty()
                    : java.util.Optional.of(jar);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** The java {@code bin/gatekeeper} ran (passed as {@code -Dgatekeeper.java}), else this JVM's own. */
    static Path invokedJava() {
        String invoked = System.getProperty("gatekeeper.java");
        if (invoked != null && !invoked.isBlank() && Files.isExecutable(Path.of(invoked))) {
            return Path.of(invoked).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** This command line as typed (the launcher's path first), to say "run this as that user instead". */
    static List<String> commandLine(picocli.CommandLine.Model.CommandSpec spec) {
        List<String> words = new java.util.ArrayList<>();
        try {
            words.add(home().resolve("bin/gatekeeper").toString());
        } catch (GatekeeperException e) {
            words.add("gatekeeper");
        }
        // the original arguments of the whole command line live on the root's parse result
        picocli.CommandLine root = spec.commandLine();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        words.addAll(root.getParseResult() == null ? List.of() : root.getParseResult().originalArgs());
        return words;
    }

    /** One archive per Java version: an archive only works with the JVM that made it. */
    private static Path archivePath(Path javaPath) throws GatekeeperException {
        String name = "gatekeeper-hook-java" + Runtime.version().feature() + "-"
                + Integer.toHexString((System.getProperty("java.home") + "|" + javaPath).hashCode()) + ".jsa";
        Path dir = home().resolve("lib/hook");
        if (Files.isWritable(dir)) {
            return dir.resolve(name);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("gatekeeper").resolve(name);
    }
}
