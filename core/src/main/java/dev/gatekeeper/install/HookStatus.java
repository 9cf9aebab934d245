package dev.gatekeeper.install;

import dev.gatekeeper.GatekeeperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that what {@link HookInstaller} put in each repository is still there, unchanged and run: the hook files
 * (content and executable bit: git silently skips a hook that is not executable), the chained hooks, the config
 * values, the runtime the script starts, and that git runs the hook at all (no {@code core.hooksPath} from any
 * config steering it away, the layout's dispatcher present). These checks are read-only; the drift scanner reuses
 * them. With {@link #setSelfTest(boolean)} (the CLI's default) it also runs {@link HookSelfTest}, which proves the
 * gate judges pushes as the repository's owner and names what stops it. Each finding has a reason a human can act on.
 */
public final class HookStatus {
    private List<Path> repositories = List.of();
    private Path all;
    private boolean selfTest;
    private Map<String, String> env = System.getenv();

    public HookStatus setRepositories(List<Path> repositories) {
        this.repositories = repositories == null ? List.of() : List.copyOf(repositories);
        return this;
    }
    /** Also check every bare repository under {@code dir}. */
    public HookStatus setAll(Path dir) { this.all = dir; return this; }
    /** Also run the installed gate on synthetic updates, as git would (writes two events to the audit log). */
    public HookStatus setSelfTest(boolean selfTest) { this.selfTest = selfTest; return this; }
    /** Where the server's configuration is read from (GATEKEEPER_*, JAVA_HOME, PATH); default: this process's. */
    public HookStatus setEnvironment(Map<String, String> env) { this.env = Map.copyOf(env); return this; }

    /**
     * Worst first: a repository's state is that of its worst finding. Every state but INSTALLED is exit 3 in
     * {@code hooks status}; the README's Troubleshooting section says what each means and how to fix it.
     */
    public enum State {
        /** Changed since the install: the gate may run something else, or be skipped. */
        TAMPERED,
        /** Not installed, or part of it is gone: pushes are not (all) judged by the gate, or all refused. */
        MISSING,
        /** Installed, but git (or the server's dispatcher) never runs it: every push goes through unjudged. */
        NOT_RUN_BY_GIT,
        /** No java the hook can run on, or its jar is gone or unreadable and no other is found: every push is refused. */
        RUNTIME_MISSING,
        /** The gate, run as the repository's owner, has no usable policy: every push is refused (fail closed). */
        CANNOT_READ_POLICY,
        /** The gate cannot write its audit log: every push is refused except break-glass. */
        CANNOT_AUDIT,
        /** A secret the gate needs is unreadable for it: pipeline tokens (or break-glass) are refused. */
        CANNOT_READ_SECRET,
        /** The gate ran and refused a harmless update for another reason (its message says which). */
        GATE_FAILED,
        /** The recorded java or hook jar is gone; the hook runs on another one it found: reinstall to record it. */
        RUNTIME_MOVED,
        /**
         * Installed by an older version, unchanged since, and working, but without what a fresh install of this
         * version writes (the post-receive recorder, the current hook script's fallbacks); the finding names what is
         * missing. {@code hooks install} (or {@code --all}) again, or {@code drift scan --heal}, brings it up to date.
         */
        OUTDATED,
        /** Installed, unchanged, and (when the self-test ran) proven to judge pushes. */
        INSTALLED;

        /** How it is printed: "NOT RUN BY GIT". */
        public String label() {
            return name().replace('_', ' ');
        }
    }

    /**
     * One thing wrong.
     *
     * @param subject what it is about: a path relative to the git directory, or a config key
     */
    public record Finding(State state, String subject, String reason) {}

    /**
     * One repository.
     *
     * @param manifest what the install recorded, when it could be read
     * @param findings empty when INSTALLED
     */
    public record Result(Path gitDir, State state, List<Finding> findings, Optional<HookManifest> manifest,
            Optional<HookSelfTest.Result> selfTest) {
        public Result(Path gitDir, State state, List<Finding> findings, Optional<HookManifest> manifest) {
            this(gitDir, state, findings, manifest, Optional.empty());
        }

        public boolean installed() {
            return state == State.INSTALLED;
        }
    }

    /** @throws GatekeeperException (USAGE) when a path given is not a repository, or none is given */
    public List<Result> call() throws GatekeeperException {
        HookInstaller.Targets targets = HookInstaller.Targets.resolve(repositories, all);
        List<Result> out = new ArrayList<>();
        for (Path gitDir : targets.gitDirs().keySet()) {
            out.add(selfTest ? checkAndTest(gitDir, env) : check(gitDir, env));
        }
        for (Map.Entry<Path, String> f : targets.failures().entrySet()) {
            out.add(new Result(f.getKey(), State.MISSING, List.of(new Finding(State.MISSING, f.getKey().toString(),
                    f.getValue() + " (a repository there would go unchecked)")), Optional.empty()));
        }
        return out;
    }

    /** The static checks and then, when nothing already explains a failure, the self-test. */
    public static Result checkAndTest(Path gitDir, Map<String, String> env) {
        Result r = check(gitDir, env);
        if (r.manifest().isEmpty() || r.manifest().get().client()
                || r.findings().stream().anyMatch(f -> f.state() != State.RUNTIME_MOVED
                        && f.state() != State.OUTDATED)) {
            return r;
        }
        HookSelfTest.Result st = HookSelfTest.run(gitDir, r.manifest().get(), env);
        List<Finding> findings = new ArrayList<>(r.findings());
        if (st.failed()) {
            findings.add(new Finding(st.state(), "self-test", st.reason()));
        }
        Result out = result(gitDir, findings, r.manifest());
        return new Result(out.gitDir(), out.state(), out.findings(), out.manifest(), Optional.of(st));
    }

    /** The state of one git directory, read-only, with this process's environment. */
    public static Result check(Path gitDir) {
        return check(gitDir, System.getenv());
    }

    /** The state of one git directory, read-only. */
    public static Result check(Path gitDir, Map<String, String> env) {
        Optional<HookManifest> manifest;
        try {
            manifest = HookManifest.read(gitDir);
        } catch (IOException e) {
            return result(gitDir, List.of(new Finding(State.TAMPERED, rel(gitDir, HookManifest.file(gitDir)),
                    e.getMessage())), Optional.empty());
        }
        if (manifest.isEmpty()) {
            manifest = gitalySet(gitDir);
            if (manifest.isEmpty()) {
                return result(gitDir, List.of(unmanifested(gitDir)), Optional.empty());
            }
        }
        HookManifest m = manifest.get();
        List<Finding> findings = new ArrayList<>();
        try {
            checkFiles(gitDir, m, findings);
            checkChained(gitDir, m, findings);
            checkConfig(gitDir, m, findings);
            int scriptVersion = scriptVersion(gitDir, m);
            checkRuntime(m, env, scriptVersion, findings);
            if (!m.client()) {
                checkRunByGit(gitDir, m, env, findings);
            }
            checkOutdated(gitDir, m, findings);
        } catch (IOException | RuntimeException e) {
            findings.add(new Finding(State.TAMPERED, gitDir.toString(), "cannot check: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage()));
        }
        return result(gitDir, findings, manifest);
    }

    /**
     * A hook set through {@code gitaly hooks set} ({@link GitalyTarball}) has no manifest in the repository: what
     * the archive put there stands for one, so whether Gitaly runs it, and (with the self-test) whether it judges,
     * can still be checked. Its content cannot be compared with what was installed.
     */
    static Optional<HookManifest> gitalySet(Path gitDir) {
        Path hook = HookLayout.GITLAB.hookPath(gitDir, "pre-receive");
        try {
            if (!managed(hook) || !Files.readString(hook).contains(HookScript.GITALY_MARKER)) {
                return Optional.empty();
            }
            List<HookManifest.InstalledFile> files = new ArrayList<>();
            files.add(new HookManifest.InstalledFile("pre-receive", InstallFiles.relative(gitDir, hook),
                    InstallFiles.sha256(hook)));
            // the recorder came in the same archive since it carries one (a tarball from before has none: OUTDATED)
            Path recorder = HookLayout.GITLAB.hookPath(gitDir, "post-receive");
            if (managed(recorder)) {
                files.add(new HookManifest.InstalledFile("post-receive", InstallFiles.relative(gitDir, recorder),
                        InstallFiles.sha256(recorder)));
            }
            return Optional.of(new HookManifest(HookManifest.VERSION, null, HookManifest.SERVER, HookLayout.GITLAB,
                    null, files, List.of(), List.of(), null, List.of()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Finding unmanifested(Path gitDir) {
        for (HookLayout l : List.of(HookLayout.PLAIN, HookLayout.GITLAB, HookLayout.GITEA)) {
            for (HookScript.Hook h : HookScript.Hook.values()) {
                Path p = l.hookPath(gitDir, h.gitName());
                if (managed(p)) {
                    return new Finding(State.MISSING, rel(gitDir, HookManifest.file(gitDir)), "a gatekeeper hook is at "
                            + rel(gitDir, p) + " but the manifest is gone, so it cannot be verified; install again");
                }
            }
        }
        return new Finding(State.MISSING, rel(gitDir, HookManifest.file(gitDir)), "gatekeeper is not installed here");
    }

    private static void checkFiles(Path gitDir, HookManifest m, List<Finding> findings) throws IOException {
        for (HookManifest.InstalledFile f : m.files()) {
            Path p = gitDir.resolve(f.path());
            if (!Files.exists(p)) {
                findings.add(new Finding(State.MISSING, f.path(), "the " + f.hook() + " hook is gone: "
                        + (m.client() ? "commits and pushes" : "pushes") + " are not checked by the gate"));
                continue;
            }
            String sha = InstallFiles.sha256(p);
            if (!sha.equals(f.sha256())) {
                findings.add(new Finding(State.TAMPERED, f.path(), "changed since it was installed (SHA-256 " + abbrev(sha)
                        + ", installed " + abbrev(f.sha256()) + ")"
                        + (HookScript.isManaged(Files.readAllBytes(p)) ? "" : "; it is not gatekeeper's script any more")));
            }
            if (!Files.isExecutable(p)) {
                findings.add(new Finding(State.NOT_RUN_BY_GIT, f.path(),
                        "not executable any more: git skips it silently"));
            }
        }
    }

    private static void checkChained(Path gitDir, HookManifest m, List<Finding> findings) throws IOException {
        for (HookManifest.ChainedHook c : m.chained()) {
            Path p = gitDir.resolve(c.path());
            if (!InstallFiles.present(p)) {
                findings.add(new Finding(State.TAMPERED, c.path(), "the chained original of " + c.originalPath()
                        + " is gone: the hook refuses every " + (m.client() ? "run" : "push")
                        + " until it is back, and uninstall cannot restore it"));
            } else if (c.symlinkTarget() != null && !Files.exists(p)) {
                findings.add(new Finding(State.TAMPERED, c.path(), "the chained hook links to "
                        + Files.readSymbolicLink(p) + ", which is gone"));
            } else if (c.sha256() != null && !InstallFiles.sha256(p).equals(c.sha256())) {
                findings.add(new Finding(State.TAMPERED, c.path(), "the chained original of " + c.originalPath()
                        + " changed since it was chained (SHA-256 " + abbrev(InstallFiles.sha256(p)) + ", chained "
                        + abbrev(c.sha256()) + ")"));
            }
        }
    }

    private static void checkConfig(Path gitDir, HookManifest m, List<Finding> findings) throws IOException {
        for (HookManifest.ConfigValue c : m.config()) {
            String now = RepoConfig.get(gitDir, c.key());
            if (!c.matches(now)) {
                findings.add(new Finding(State.TAMPERED, c.key(), "is " + (now == null ? "unset" : "'" + now + "'")
                        + ", installed as '" + c.value() + "'"
                        + (c.key().equals("receive.advertisePushOptions")
                                ? ": pipelines cannot send their token as a push option" : "")));
            }
        }
    }

    /**
     * The oldest hook script version among the installed files (what the hook can do when its runtime is gone);
     * {@link HookScript#VERSION} when none can be read (their absence is a finding of its own).
     */
    static int scriptVersion(Path gitDir, HookManifest m) {
        int oldest = HookScript.VERSION;
        for (HookManifest.InstalledFile f : m.files()) {
            Path p = gitDir.resolve(f.path());
            try {
                if (Files.isRegularFile(p)) {
                    java.util.OptionalInt v = HookScript.version(Files.readAllBytes(p));
                    if (v.isPresent()) {
                        oldest = Math.min(oldest, v.getAsInt());
                    }
                }
            } catch (IOException e) {
                // unreadable: checkFiles reports it
            }
        }
        return oldest;
    }

    /**
     * What a fresh install of this version would write and this one lacks, each named: a server install (the
     * installer's hooks, and the Gitaly archive) has the post-receive recorder; every hook script is of the current
     * {@link HookScript#VERSION}. Only files unchanged since the install are judged by their version: a changed one
     * is TAMPERED already.
     */
    private static void checkOutdated(Path gitDir, HookManifest m, List<Finding> findings) throws IOException {
        if (!m.client() && m.files().stream().noneMatch(f -> f.hook().equals(HookScript.Hook.POST_RECEIVE.gitName()))) {
            findings.add(new Finding(State.OUTDATED, rel(gitDir, m.layout().resolve(gitDir).hookPath(gitDir,
                    HookScript.Hook.POST_RECEIVE.gitName())), "no post-receive recorder: landed pushes are not"
                    + " recorded (installed by a version before it; run 'gatekeeper hooks install' again)"));
        }
        for (HookManifest.InstalledFile f : m.files()) {
            Path p = gitDir.resolve(f.path());
            if (!Files.isRegularFile(p) || !InstallFiles.sha256(p).equals(f.sha256())) {
                continue;
            }
            java.util.OptionalInt v = HookScript.version(Files.readAllBytes(p));
            if (v.isEmpty() || v.getAsInt() >= HookScript.VERSION) {
                continue;
            }
            boolean gates = !f.hook().equals(HookScript.Hook.POST_RECEIVE.gitName());
            String refuses = gates ? "refuse every " + (m.client() ? "commit and push" : "push")
                    : "leave every landed push unrecorded";
            String lacks = v.getAsInt() < 2
                    ? "no java fallback and no hook-jar fallback (a removed JDK or a deleted version folder would "
                            + refuses + ")"
                    : "no hook-jar fallback (a deleted version folder would " + refuses + ")";
            findings.add(new Finding(State.OUTDATED, f.path(), "hook script v" + v.getAsInt() + ": " + lacks
                    + "; run 'gatekeeper hooks install' again"));
        }
    }

    private static void checkRuntime(HookManifest m, Map<String, String> env, int scriptVersion,
            List<Finding> findings) {
        if (m.runtime() == null) {
            return;
        }
        String effect = "the hook refuses every " + (m.client() ? "commit and push" : "push") + " (fail closed)";
        List<String> gone = m.runtime().classpath().stream().filter(e -> !Files.isReadable(Path.of(e))).toList();
        if (!gone.isEmpty()) {
            Optional<Path> linked = Optional.ofNullable(m.runtime().linkedJar()).map(Path::of);
            Optional<Path> fallback = HookRuntime.fallbackJar(env, linked);
            for (String entry : gone) {
                if (fallback.isPresent() && scriptVersion < 3) {
                    findings.add(new Finding(State.RUNTIME_MISSING, entry, "this class path entry is gone and the"
                            + " installed hook script (v" + scriptVersion + ") has no hook-jar fallback, though "
                            + fallback.get() + " is there: " + effect + "; run 'gatekeeper hooks install' again"));
                } else if (fallback.isPresent()) {
                    findings.add(new Finding(State.RUNTIME_MOVED, entry, "the recorded hook jar is gone; the hook"
                            + " runs " + fallback.get() + " instead (without its class-data-sharing archive) and"
                            + " alerts once: run 'gatekeeper hooks install' again to record the current jar"));
                } else {
                    findings.add(new Finding(State.RUNTIME_MISSING, entry, "this class path entry is gone and no"
                            + " other Gatekeeper hook jar is configured ($" + HookScript.ENV_JAR + ", "
                            + dev.gatekeeper.policy.PolicyLocator.configDir(env).resolve(HookScript.CONFIGURED_JAR_FILE)
                            + linked.map(l -> ", " + l).orElse("") + "): " + effect
                            + "; reinstall with a current distribution (gatekeeper hooks install)"));
                }
            }
        }
        if (m.runtime().java() != null && !Files.isExecutable(Path.of(m.runtime().java()))) {
            Optional<Path> fallback = HookRuntime.fallbackJava(env);
            if (fallback.isPresent() && scriptVersion < 2) {
                findings.add(new Finding(State.RUNTIME_MISSING, m.runtime().java(), "the java binary is gone and the"
                        + " installed hook script (v" + scriptVersion + ") has no java fallback, though "
                        + fallback.get() + " is there: " + effect + "; run 'gatekeeper hooks install' again"));
            } else if (fallback.isPresent()) {
                findings.add(new Finding(State.RUNTIME_MOVED, m.runtime().java(), "the recorded java is gone; the"
                        + " hook runs on " + fallback.get() + " instead (without its class-data-sharing archive)"
                        + " and alerts once: run 'gatekeeper hooks install' again to record a current java"));
            } else {
                findings.add(new Finding(State.RUNTIME_MISSING, m.runtime().java(), "the java binary is gone and"
                        + " no other Java 17+ is configured ($GATEKEEPER_JAVA, /etc/gatekeeper/java, $JAVA_HOME,"
                        + " PATH): " + effect + "; reinstall with a current runtime"));
            }
        }
    }

    /** Whether git runs the installed hook: the hooks folder git uses, and the layout's dispatcher. */
    private static void checkRunByGit(Path gitDir, HookManifest m, Map<String, String> env, List<Finding> findings)
            throws IOException {
        Owner owner = Owner.of(gitDir);
        GitHooksDir.Where where = GitHooksDir.of(gitDir, owner, env);
        Optional<String> dispatcher = m.layout().dispatcherProblem(gitDir, where.dir());
        if (dispatcher.isPresent()) {
            findings.add(new Finding(State.NOT_RUN_BY_GIT, m.layout().name(), dispatcher.get()));
            return;
        }
        if (m.layout() != HookLayout.PLAIN) {
            return;
        }
        for (HookManifest.InstalledFile f : m.files()) {
            Path installed = gitDir.resolve(f.path()).toAbsolutePath().normalize();
            Path runs = where.dir().resolve(f.hook());
            if (!runs.equals(installed)) {
                findings.add(new Finding(State.NOT_RUN_BY_GIT, "core.hooksPath", where.describe() + ": git runs "
                        + runs + ", never " + f.path() + ", so pushes are not judged; unset it or reinstall"));
            }
        }
    }

    /** Booleans compare as git reads them ("true", "yes", "on", "1"), anything else as text. */
    static boolean sameValue(String installed, String now) {
        if (installed.equals(now)) {
            return true;
        }
        if (now != null && RepoConfig.isTrue(installed)) {
            return RepoConfig.isTrue(now);
        }
        return false;
    }

    static boolean managed(Path p) {
        try {
            return Files.isRegularFile(p) && HookScript.isManaged(Files.readAllBytes(p));
        } catch (IOException e) {
            return false;
        }
    }

    private static Result result(Path gitDir, List<Finding> findings, Optional<HookManifest> manifest) {
        State worst = State.INSTALLED;
        for (Finding f : findings) {
            if (f.state().ordinal() < worst.ordinal()) {
                worst = f.state();
            }
        }
        return new Result(gitDir, worst, List.copyOf(findings), manifest);
    }

    private static String rel(Path gitDir, Path p) {
        return InstallFiles.relative(gitDir, p);
    }

    private static String abbrev(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
