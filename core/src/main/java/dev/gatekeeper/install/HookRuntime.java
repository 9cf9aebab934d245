package dev.gatekeeper.install;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an installed hook starts the gate: which java, which class path, which JVM options. The options trade peak
 * performance for start-up time, because a hook JVM lives for a fraction of a second: C1 only, the serial GC, a
 * small stack, no perf-data file, and class-data sharing (an archive of the classes a push loads, made at install
 * time by {@link #createCdsArchive(Path)}). Logging is switched off entirely because whatever the JVM prints (a
 * CDS warning after a JDK upgrade, say) reaches the pusher as {@code remote:} lines.
 *
 * @param java absolute path of the java binary
 * @param classpath the jars (or folders) holding {@link #MAIN_CLASS} and its dependencies, absolute
 * @param jvmOptions the options put before {@code -cp}, one word each
 * @param cdsArchive the class-data-sharing archive the options name, if any
 * @param linkedJar the hook jar as reached through the link the install was run through, when that differs from the
 *     class path's (installed as {@code /opt/gatekeeper/bin/gatekeeper} with {@code /opt/gatekeeper -> versions/A}:
 *     {@code /opt/gatekeeper/lib/hook/gatekeeper-hook.jar}): where the hook looks when the recorded jar is gone, so an
 *     upgrade that repoints the link and deletes the old folder before {@code hooks install --all} keeps judging
 */
public record HookRuntime(Path java, List<Path> classpath, List<String> jvmOptions, Optional<Path> cdsArchive,
        Optional<Path> linkedJar) {
    /** The class every installed hook runs, with the hook name as its only argument. */
    public static final String MAIN_CLASS = "dev.gatekeeper.hooks.HookMain";
    /** The argument that makes {@link #MAIN_CLASS} run a representative push and exit 0, for the CDS archive. */
    public static final String TRAIN_ARGUMENT = "--train";
    /** Silences the JVM's own output; first, so nothing printed while the other options are read escapes. */
    public static final List<String> QUIET_OPTIONS = List.of("-Xlog:disable", "-Xlog:all=off");
    public static final List<String> FAST_START_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-XX:-UsePerfData", "-Xss512k");
    /**
     * With an archive the default collector (G1) replaces Serial: on JDK 17 only G1 maps the archived heap, and
     * without it the JVM rebuilds the module graph at every start (measured here: 18 ms of a 47 ms VM creation,
     * against 2 ms of 29 ms with the archived graph).
     */
    public static final List<String> ARCHIVE_START_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:-UsePerfData", "-Xss512k");
    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)");
    /** Making the archive runs a whole push once; far longer than this means it hangs. */
    static final long TRAINING_TIMEOUT_SECONDS = 120;

    /** Paths are made absolute: git runs hooks with the repository, not the installer's folder, as working folder. */
    public HookRuntime {
        java = Objects.requireNonNull(java, "java").toAbsolutePath().normalize();
        classpath = absolute(classpath);
        jvmOptions = List.copyOf(jvmOptions);
        cdsArchive = Objects.requireNonNull(cdsArchive, "cdsArchive").map(p -> p.toAbsolutePath().normalize());
        linkedJar = Objects.requireNonNull(linkedJar, "linkedJar").map(p -> p.toAbsolutePath().normalize());
    }

    /** A runtime without a linked jar. */
    public HookRuntime(Path java, List<Path> classpath, List<String> jvmOptions, Optional<Path> cdsArchive) {
        this(java, classpath, jvmOptions, cdsArchive, Optional.empty());
    }

    /** The JVM running this code, with the default options and no archive. */
    public static HookRuntime current(List<Path> classpath) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new HookRuntime(java, classpath, defaultJvmOptions(Optional.empty()), Optional.empty());
    }

    /**
     * {@code java} as given (not resolved: a stable alias such as {@code /usr/bin/java} or
     * {@code /usr/lib/jvm/default-java/bin/java} survives a JDK upgrade that the resolved path would not), with
     * the default options and no archive.
     */
    public static HookRuntime of(Path java, List<Path> classpath) {
        return new HookRuntime(java, classpath, defaultJvmOptions(Optional.empty()), Optional.empty());
    }

    /**
     * The java an installed hook falls back to when the recorded one is gone, found in the script's order (the
     * README's "Upgrading"): {@code $GATEKEEPER_JAVA}, the first line of
     * {@code ${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/java}, {@code $JAVA_HOME/bin/java}, {@code java} on PATH;
     * each must be an executable file and, where its {@code release} file says, Java 17 or newer.
     */
    public static Optional<Path> fallbackJava(Map<String, String> env) {
        List<String> candidates = new ArrayList<>();
        String configured = env.get("GATEKEEPER_JAVA");
        if (configured == null || configured.isEmpty()) {
            configured = firstLine(dev.gatekeeper.policy.PolicyLocator.configDir(env)
                    .resolve(HookScript.CONFIGURED_JAVA_FILE));
        }
        candidates.add(configured);
        String javaHome = env.get("JAVA_HOME");
        candidates.add(javaHome == null || javaHome.isEmpty() ? null : javaHome + "/bin/java");
        String path = env.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "java"))) {
                    candidates.add(Path.of(dir, "java").toString());
                    break;
                }
            }
        }
        for (String c : candidates) {
            if (c != null && !c.isEmpty() && usableJava(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        return Optional.empty();
    }

    /** An executable file whose {@code release} file, when there is one, says Java 17 or newer. */
    static boolean usableJava(Path javaBinary) {
        if (!Files.isRegularFile(javaBinary) || !Files.isExecutable(javaBinary)) {
            return false;
        }
        try {
            Path real = javaBinary.toRealPath();
            Path home = real.getParent() == null ? null : real.getParent().getParent();
            Path release = home == null ? null : home.resolve("release");
            if (release == null || !Files.isReadable(release)) {
                return true;
            }
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                Matcher m = RELEASE_VERSION.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1)) >= 17;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The default options, naming {@code archive} when it is present and exists. */
    public static List<String> defaultJvmOptions(Optional<Path> archive) {
        List<String> opts = new ArrayList<>(QUIET_OPTIONS);
        Optional<Path> usable = archive.filter(Files::isRegularFile);
        opts.addAll(usable.isPresent() ? ARCHIVE_START_OPTIONS : FAST_START_OPTIONS);
        usable.ifPresent(a -> opts.add("-XX:SharedArchiveFile=" + a.toAbsolutePath().normalize()));
        return opts;
    }

    /** This runtime using {@code archive} if it exists, else none: the default options are rebuilt either way. */
    public HookRuntime withCdsArchive(Path archive) {
        Optional<Path> a = Optional.ofNullable(archive).filter(Files::isRegularFile)
                .map(p -> p.toAbsolutePath().normalize());
        return new HookRuntime(java, classpath, defaultJvmOptions(a), a, linkedJar);
    }

    /** This runtime without an archive. */
    public HookRuntime withoutCdsArchive() {
        return new HookRuntime(java, classpath, defaultJvmOptions(Optional.empty()), Optional.empty(), linkedJar);
    }

    /** This runtime with {@code jar} as its {@link #linkedJar()} (none when null). */
    public HookRuntime withLinkedJar(Path jar) {
        return new HookRuntime(java, classpath, jvmOptions, cdsArchive, Optional.ofNullable(jar));
    }

    /**
     * The hook jar an installed hook falls back to when a recorded class path entry is gone, found in the script's
     * order (the README's "Upgrading", {@link HookScript#appendJarDiscovery}): {@code $GATEKEEPER_HOOK_JAR}, the
     * first line of {@code ${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/hook-jar}, {@code linked}; each must be a
     * {@linkplain #isHookJar hook jar}.
     */
    public static Optional<Path> fallbackJar(Map<String, String> env, Optional<Path> linked) {
        List<String> candidates = new ArrayList<>();
        candidates.add(env.get(HookScript.ENV_JAR));
        candidates.add(firstLine(dev.gatekeeper.policy.PolicyLocator.configDir(env)
                .resolve(HookScript.CONFIGURED_JAR_FILE)));
        candidates.add(linked.map(Path::toString).orElse(null));
        for (String c : candidates) {
            if (c != null && !c.isEmpty() && isHookJar(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        return Optional.empty();
    }

    /** A readable jar holding {@link #MAIN_CLASS}: what the script's cheaper {@code grep} stands for. */
    static boolean isHookJar(Path jar) {
        if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
            return false;
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.getEntry(HookScript.JAR_ENTRY) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The first line of {@code file}, stripped, or null when there is none or it is unreadable. */
    private static String firstLine(Path file) {
        try {
            return Files.isReadable(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst()
                    .map(String::strip).orElse(null) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The class path as java's {@code -cp} wants it. */
    public String classpathString() {
        List<String> parts = new ArrayList<>();
        for (Path p : classpath) {
            parts.add(p.toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    /** What {@link #createCdsArchive(Path)} achieved: the runtime to install, and why there is no archive, if not. */
    public record CdsResult(HookRuntime runtime, Optional<String> problem) {
        public boolean archived() {
            return problem.isEmpty();
        }
    }

    /**
     * Runs {@code java -XX:DumpLoadedClassList=... -cp ... HookMain --train} to record the classes a push loads, then
     * {@code java -Xshare:dump} to make a static archive of them (with the JDK's archived heap and module graph,
     * which a dynamic {@code -XX:ArchiveClassesAtExit} archive leaves out), into a temporary file renamed onto
     * {@code archive} only when complete: installers running at the same time each write their own file, and git
     * never starts a hook against a half-written archive.
     *
     * <p>Never fails the install: without an archive a hook is slower to start, not wrong. A failure returns this
     * runtime without an archive and the reason.
     */
    public CdsResult createCdsArchive(Path archive) {
        Path target = archive.toAbsolutePath().normalize();
        Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp");
        Path log = null;
        Path classList = null;
        try {
            Files.createDirectories(target.getParent());
            log = Files.createTempFile("gatekeeper-cds", ".log");
            classList = Files.createTempFile("gatekeeper-cds", ".classlist");
            List<String> train = new ArrayList<>(List.of(java.toString(), "-XX:DumpLoadedClassList=" + classList));
            train.addAll(ARCHIVE_START_OPTIONS);
            train.addAll(List.of("-cp", classpathString(), MAIN_CLASS, TRAIN_ARGUMENT));
            int rc = run(train, log);
            if (rc != 0) {
                return failed((rc < 0 ? "the training run did not finish within " + TRAINING_TIMEOUT_SECONDS + "s"
                        : "the training run exited with " + rc) + lastLines(log));
            }
            // no collector option: the dump must use G1 to archive the heap objects (and so the module graph)
            int dump = run(List.of(java.toString(), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + tmp, "-cp", classpathString()), log);
            // The file is the proof: a JVM can exit 0 and still write no archive (a folder on the class path, say).
            if (dump != 0 || !Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                String why = dump < 0 ? "the archive dump did not finish within " + TRAINING_TIMEOUT_SECONDS + "s"
                        : dump != 0 ? "the archive dump exited with " + dump : "the JVM wrote no archive";
                return failed(why + lastLines(log));
            }
            InstallFiles.setMode(tmp, InstallFiles.READABLE);
            InstallFiles.moveAtomically(tmp, target);
            return new CdsResult(withCdsArchive(target), Optional.empty());
        } catch (IOException e) {
            return failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(log);
            deleteQuietly(classList);
        }
    }

    /** Runs one JVM with its output appended to {@code log}; its exit code, or -1 when it had to be killed. */
    private static int run(List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        if (!p.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return p.exitValue();
    }

    private CdsResult failed(String why) {
        return new CdsResult(withoutCdsArchive(), Optional.of("no class-data-sharing archive (hooks start slower): "
                + why));
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return tail.isEmpty() ? "" : ": " + String.join(" | ", tail).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }

    private static File nullDevice() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }

    private static List<Path> absolute(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            out.add(p.toAbsolutePath().normalize());
        }
        return List.copyOf(out);
    }
}
