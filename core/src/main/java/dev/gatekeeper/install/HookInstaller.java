package dev.gatekeeper.install;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.identity.RecordedRepositoryId;
import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.PolicyLoader;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Installs the gate into repositories: on a server, {@code pre-receive} into bare repositories; in client mode,
 * {@code pre-commit} and {@code pre-push} into a working clone (a courtesy that fails early; the server hook is the
 * one that enforces).
 *
 * <p>Nothing is ever lost: a hook already in git's single {@code hooks/pre-receive} is moved to
 * {@code $GIT_DIR/gatekeeper/chained/} and run after the gate passed; an edited copy of our own hook is saved
 * before it is replaced; the config value changed is remembered. All of it goes in the manifest
 * ({@link HookManifest}) that {@link HookStatus} checks and {@link HookUninstaller} reverses. Re-installing is
 * idempotent: our own hook is never chained, and a chained original stays chained.
 *
 * <p>Each repository is planned completely before anything in it is changed, so a refusal leaves it untouched, and
 * one repository's failure does not stop the others: each gets its own {@link Result}.
 *
 * <p>An install proves itself ({@link HookSelfTest}): the hook git will run is run as the repository's owner on
 * synthetic updates, and an install whose gate does not judge, read its policy and secrets and audit is put back as
 * it was (a repository that worked keeps working) and reported as failed with the reason. Run as root on another
 * user's repository, everything written is given to that user; run as anyone else, it is refused with the command
 * to run instead. The layout must be true: a dispatcher that is absent, or a {@code core.hooksPath} that sends git
 * elsewhere, is refused rather than leaving a hook git never runs.
 */
public final class HookInstaller {
    /** What a server install sets: without it git refuses {@code git push -o gatekeeper-token=...}. */
    public static final Map<String, String> SERVER_CONFIG = Map.of("receive.advertisePushOptions", "true");
    /** Set (to a random secret) when a rule accepts signed pushes: git only offers {@code push --signed} then. */
    public static final String NONCE_SEED = "receive.certNonceSeed";
    static final String LOCK_FILE = "hooks.lock";
    static final String CHAINED_DIR = "chained";

    private List<Path> repositories = List.of();
    private Path all;
    private HookLayout layout = HookLayout.AUTO;
    private boolean client;
    private Path policy;
    private boolean noPolicy;
    private boolean force;
    private boolean selfTest = true;
    private HookRuntime runtime;
    private Clock clock = Clock.systemUTC();
    private Map<String, String> env = System.getenv();
    private List<String> commandLine = List.of();
    private String repositoryId;
    private Optional<String> policyRepository = Optional.empty();
    private Map<Path, RepositoryIds.Planned> repositoryIds = Map.of();

    public HookInstaller setRepositories(List<Path> repositories) {
        this.repositories = repositories == null ? List.of() : List.copyOf(repositories);
        return this;
    }
    /** Also install into every bare repository under {@code dir}. */
    public HookInstaller setAll(Path dir) { this.all = dir; return this; }
    /** Server layout; AUTO (the default, also for null) detects it per repository. Ignored in client mode. */
    public HookInstaller setLayout(HookLayout layout) {
        this.layout = layout == null ? HookLayout.AUTO : layout;
        return this;
    }
    /** Client mode: pre-commit and pre-push into working clones, honouring {@code core.hooksPath}. */
    public HookInstaller setClient(boolean client) { this.client = client; return this; }
    /** A policy file to copy into each repository as {@code $GIT_DIR/gatekeeper/policy.yaml}. */
    public HookInstaller setPolicy(Path policy) { this.policy = policy; return this; }
    /**
     * Install without any policy when none is given or found: the gate then refuses every push (fail closed) until
     * one is put in place. Without this flag such an install gets {@link DefaultPolicy}.
     */
    public HookInstaller setNoPolicy(boolean noPolicy) { this.noPolicy = noPolicy; return this; }
    /** Install even where the layout's dispatcher is absent (git will not run the hook until it is there). */
    public HookInstaller setForce(boolean force) { this.force = force; return this; }
    /** Prove each server install by running its gate (default on; off only for runtimes that are no gate). */
    public HookInstaller setSelfTest(boolean selfTest) { this.selfTest = selfTest; return this; }
    public HookInstaller setRuntime(HookRuntime runtime) { this.runtime = runtime; return this; }
    public HookInstaller setClock(Clock clock) { this.clock = clock; return this; }
    /** The environment the server's configuration is read from (policy and secret variables); default: this process's. */
    public HookInstaller setEnvironment(Map<String, String> env) { this.env = Map.copyOf(env); return this; }
    /** How this install was asked for (the words to repeat as the repository's owner), for a refusal's message. */
    public HookInstaller setCommandLine(List<String> words) { this.commandLine = List.copyOf(words); return this; }
    /** The id tokens name this repository by (one repository only); see {@link RepositoryIds}. */
    public HookInstaller setRepositoryId(String id) { this.repositoryId = id; return this; }

    /**
     * INSTALLED, UPDATED and UNCHANGED succeeded (UNCHANGED: the same install was already there and proved itself
     * again); REFUSED is a configuration problem found before anything changed (exit 2); FAILED is a repository a
     * human must look at (exit 6), left as it was before when the self-test failed.
     */
    public enum Outcome { INSTALLED, UPDATED, UNCHANGED, REFUSED, FAILED }

    /**
     * What happened to one repository.
     *
     * @param gitDir the repository's git directory (for a failed search, the folder that could not be searched)
     * @param layout the layout used; null when it failed before one was chosen
     * @param hooks the hook files written
     * @param notes what was done besides, one line each (hooks chained, copies saved, config changed)
     * @param problem why it failed, when it did
     */
    public record Result(Path gitDir, Outcome outcome, HookLayout layout, List<Path> hooks, List<String> notes,
            Optional<String> problem, Optional<HookSelfTest.Result> selfTest) {
        public Result(Path gitDir, Outcome outcome, HookLayout layout, List<Path> hooks, List<String> notes,
                Optional<String> problem) {
            this(gitDir, outcome, layout, hooks, notes, problem, Optional.empty());
        }

        public boolean ok() {
            return outcome != Outcome.FAILED && outcome != Outcome.REFUSED;
        }

        static Result failed(Path gitDir, HookLayout layout, String problem) {
            return new Result(gitDir, Outcome.FAILED, layout, List.of(), List.of(), Optional.of(problem));
        }

        static Result refused(Path gitDir, HookLayout layout, String problem) {
            return new Result(gitDir, Outcome.REFUSED, layout, List.of(), List.of(), Optional.of(problem));
        }

        /** The exit code for a run over these results: 6 if any failed, else 2 if any was refused, else 0. */
        public static ExitCode exitCode(List<Result> results) {
            if (results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED)) {
                return ExitCode.ACTION_FAILED;
            }
            if (results.stream().anyMatch(r -> r.outcome() == Outcome.REFUSED)) {
                return ExitCode.USAGE;
            }
            return ExitCode.OK;
        }
    }

    /**
     * @return one result per repository, in the order given (explicit ones first, then the ones found)
     * @throws GatekeeperException (USAGE) before touching anything, when the options cannot work: no runtime, a
     *     runtime that is not there, a path that is not a repository, an invalid policy
     */
    public List<Result> call() throws GatekeeperException {
        if (runtime == null) {
            throw new GatekeeperException(ExitCode.USAGE, "no hook runtime given (java and class path)");
        }
        if (client && all != null) {
            throw new GatekeeperException(ExitCode.USAGE, "--all finds bare server repositories; client mode installs"
                    + " into working clones: name them");
        }
        if (noPolicy && policy != null) {
            throw new GatekeeperException(ExitCode.USAGE, "--no-policy and --policy contradict each other");
        }
        checkRuntime();
        checkPolicy();
        Targets targets = Targets.resolve(repositories, all);
        if (!client) {
            repositoryIds = RepositoryIds.plan(new ArrayList<>(targets.gitDirs().keySet()), all, repositoryId,
                    policyRepository);
        } else if (repositoryId != null) {
            throw new GatekeeperException(ExitCode.USAGE, "--repository-id is for server repositories, not clones");
        }
        List<Result> results = new ArrayList<>(targets.failures().size() + targets.gitDirs().size());
        for (Map.Entry<Path, Path> t : targets.gitDirs().entrySet()) {
            results.add(installOne(t.getKey(), t.getValue()));
        }
        for (Map.Entry<Path, String> f : targets.failures().entrySet()) {
            results.add(Result.failed(f.getKey(), null, f.getValue()));
        }
        return results;
    }

    private void checkRuntime() throws GatekeeperException {
        if (!Files.isExecutable(runtime.java())) {
            throw new GatekeeperException(ExitCode.USAGE, "the java binary " + runtime.java()
                    + " does not exist or is not executable");
        }
        if (runtime.classpath().isEmpty()) {
            throw new GatekeeperException(ExitCode.USAGE, "the hook runtime has an empty class path");
        }
        for (Path p : runtime.classpath()) {
            if (!Files.exists(p)) {
                throw new GatekeeperException(ExitCode.USAGE, "the class path entry " + p + " does not exist");
            }
        }
        List<String> problems = HookScript.problems(runtime);
        if (!problems.isEmpty()) {
            throw new GatekeeperException(ExitCode.USAGE, "the hook runtime cannot be written into a script: "
                    + String.join("; ", problems));
        }
    }

    /** An invalid policy would make the gate refuse every push: refuse to install it instead. */
    private void checkPolicy() throws GatekeeperException {
        if (policy == null) {
            return;
        }
        try {
            policyRepository = PolicyLoader.load(policy).repository();
        } catch (PolicyException e) {
            String first = e.problems().isEmpty() ? "invalid" : e.problems().get(0).toString();
            throw new GatekeeperException(ExitCode.USAGE, "the policy " + policy + " is not valid: " + first
                    + (e.problems().size() > 1 ? " (+" + (e.problems().size() - 1) + " more)" : ""), e);
        }
    }

    @SuppressWarnings("try") // the lock is held for the block, never referenced
    private Result installOne(Path gitDir, Path given) {
        Path gk = PolicyLocator.repoDir(gitDir);
        Owner owner;
        try {
            owner = Owner.of(gitDir);
        } catch (IOException e) {
            return Result.failed(gitDir, null, e.getMessage());
        }
        if (!owner.isCurrentUser() && !Owner.runningAsRoot()) {
            return Result.refused(gitDir, null, "it belongs to " + owner.describe() + ", not to you ("
                    + Owner.current().describe() + "): git runs its hooks as " + owner.name() + ", so the gate's"
                    + " files must be " + owner.name() + "'s. Run instead: " + rerunAs(owner));
        }
        boolean gkExisted = Files.isDirectory(gk);
        HookLayout chosen = null;
        try (InstallFiles.Lock lock = InstallFiles.Lock.acquire(gk.resolve(LOCK_FILE))) {
            Optional<HookManifest> old = HookManifest.read(gitDir);
            String mode = client ? HookManifest.CLIENT : HookManifest.SERVER;
            if (old.isPresent() && !old.get().mode().equals(mode)) {
                return Result.failed(gitDir, old.get().layout(), "installed in " + old.get().mode()
                        + " mode; uninstall first to install in " + mode + " mode");
            }
            Path clientHooksDir = null;
            Path serverHooksDir = null;
            List<String> notes = new ArrayList<>();
            Set<HookStatus.State> accepted = new LinkedHashSet<>();
            if (client) {
                chosen = HookLayout.PLAIN;
                ClientTarget ct = ClientTarget.of(gitDir, given);
                if (ct.bare()) {
                    return Result.failed(gitDir, chosen, "a bare repository: client hooks need a working clone");
                }
                clientHooksDir = ct.hooksDir();
                if (!clientHooksDir.startsWith(gitDir)) {
                    notes.add("core.hooksPath points to " + clientHooksDir + ", outside the git directory: every"
                            + " repository using that folder runs these hooks");
                }
            } else {
                GitHooksDir.Where where = GitHooksDir.of(gitDir, owner, env);
                chosen = layout != HookLayout.AUTO ? layout
                        : old.map(HookManifest::layout).orElseGet(() -> HookLayout.detect(gitDir, where.dir()));
                if (old.isPresent() && old.get().layout() != chosen) {
                    return Result.failed(gitDir, chosen, "installed with layout " + old.get().layout()
                            + "; uninstall first to change it to " + chosen);
                }
                Optional<String> dispatcher = chosen.dispatcherProblem(gitDir, where.dir());
                if (dispatcher.isPresent()) {
                    if (!force) {
                        return Result.refused(gitDir, chosen, dispatcher.get() + "; --force installs it anyway");
                    }
                    notes.add("WARNING (--force): " + dispatcher.get());
                    accepted.add(HookStatus.State.NOT_RUN_BY_GIT);
                }
                if (chosen == HookLayout.PLAIN && !where.isOwnHooks(gitDir)) {
                    if (where.shared(gitDir)) {
                        return Result.refused(gitDir, chosen, "git runs this repository's hooks from " + where.dir()
                                + " (" + where.describe() + "), a folder other repositories may share: a gate in "
                                + "hooks/ would never run. Unset it" + (where.origin() == null ? ""
                                : " (git config --" + scopeOf(where.origin()) + "--unset core.hooksPath)")
                                + ", or let that folder's pre-receive run the gate");
                    }
                    notes.add(where.describe() + ": git runs hooks from " + InstallFiles.relative(gitDir, where.dir())
                            + ", so the hook goes there");
                }
                serverHooksDir = where.dir();
            }
            Optional<Path> effectivePolicy = Optional.ofNullable(policy);
            String defaultPolicy = null;
            if (!client && policy == null) {
                effectivePolicy = PolicyLocator.locate(env, gitDir).map(PolicyLocator.Located::path);
                if (effectivePolicy.isEmpty() && !noPolicy) {
                    defaultPolicy = DefaultPolicy.render(DefaultPolicy.defaultBranch(gitDir));
                } else if (effectivePolicy.isEmpty()) {
                    notes.add("WARNING (--no-policy): no policy anywhere, so the gate refuses every push (fail"
                            + " closed) until " + gk.resolve(PolicyLocator.POLICY_FILE) + " or "
                            + PolicyLocator.configDir(env).resolve(PolicyLocator.POLICY_FILE) + " exists");
                    accepted.add(HookStatus.State.CANNOT_READ_POLICY);
                }
            }
            List<Plan> plans = new ArrayList<>();
            for (HookScript.Hook hook : hooksToInstall()) {
                Path dest = client ? clientHooksDir.resolve(hook.gitName())
                        : chosen == HookLayout.PLAIN ? serverHooksDir.resolve(hook.gitName())
                        : chosen.hookPath(gitDir, hook.gitName());
                Plan plan = plan(gitDir, old, chosen, hook, dest);
                if (plan.problem != null) {
                    return Result.failed(gitDir, chosen, plan.problem);
                }
                plans.add(plan);
                if (plan.note != null) {
                    notes.add(plan.note);
                }
            }
            boolean signed = !client && wantsSignedPushes(effectivePolicy, defaultPolicy);
            InstallSnapshot snapshot = new InstallSnapshot();
            for (Plan p : plans) {
                snapshot.remember(p.dest);
                if (p.chained != null) {
                    snapshot.remember(gitDir.resolve(p.chained.path()));
                }
            }
            snapshot.remember(HookManifest.file(gitDir));
            snapshot.remember(gk.resolve(PolicyLocator.POLICY_FILE));
            snapshot.remember(RecordedRepositoryId.file(gitDir));
            Executed done = execute(gitDir, old, chosen, plans, notes, gkExisted, defaultPolicy, signed);
            List<String> written = new ArrayList<>(done.result.notes());
            if (!owner.isCurrentUser()) {
                giveAway(gitDir, owner, done, written);
            }
            if (!selfTest || client) {
                return new Result(gitDir, done.result.outcome(), chosen, done.result.hooks(), List.copyOf(written),
                        Optional.empty());
            }
            HookSelfTest.Result st = HookSelfTest.run(gitDir, done.manifest, env);
            if (!st.failed() || accepted.contains(st.state())) {
                List<String> all = new ArrayList<>(written);
                if (st.failed()) {
                    all.add("self-test: " + st.state().label() + " (as asked): " + st.reason());
                } else {
                    all.add("self-test " + st.verdict().name().toLowerCase(java.util.Locale.ROOT) + " in "
                            + st.took().toMillis() + " ms: " + st.reason());
                }
                st.notes().forEach(n -> all.add("note: " + n));
                return new Result(gitDir, done.result.outcome(), chosen, done.result.hooks(), List.copyOf(all),
                        Optional.empty(), Optional.of(st));
            }
            if (!done.changed) {
                return new Result(gitDir, Outcome.FAILED, chosen, List.of(), List.copyOf(written),
                        Optional.of("self-test: " + st.state().label() + ": " + st.reason()), Optional.of(st));
            }
            List<String> rollback = snapshot.restore();
            rollback.addAll(done.restoreConfig(gitDir));
            InstallFiles.deleteIfEmpty(gk.resolve(CHAINED_DIR));
            for (int i = done.createdNow.size() - 1; i >= 0; i--) {
                InstallFiles.deleteIfEmpty(done.createdNow.get(i));
            }
            String left = rollback.isEmpty()
                    ? (old.isPresent() ? "the previous install is back in place" : "nothing was left installed")
                    : "ROLLBACK INCOMPLETE: " + String.join("; ", rollback);
            return new Result(gitDir, Outcome.FAILED, chosen, List.of(), List.of(),
                    Optional.of("self-test: " + st.state().label() + ": " + st.reason() + "; " + left),
                    Optional.of(st));
        } catch (IOException | RuntimeException e) {
            return Result.failed(gitDir, chosen, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** "global " or "system " or "file X " for a {@code --show-origin} value, for the unset command. */
    private static String scopeOf(String origin) {
        String file = origin.startsWith("file:") ? origin.substring(5) : origin;
        if (file.equals("/etc/gitconfig")) {
            return "system ";
        }
        if (file.endsWith("/.gitconfig") || file.endsWith("/git/config") && !file.endsWith(".git/config")) {
            return "global ";
        }
        return "file " + file + " ";
    }

    /** The command that installs as the repository's owner: this command, run as that user. */
    private String rerunAs(Owner owner) {
        List<String> words = commandLine.isEmpty() ? List.of("gatekeeper", "hooks", "install", "...") : commandLine;
        StringBuilder sb = new StringBuilder("sudo -u " + owner.name());
        for (String w : words) {
            sb.append(' ').append(HookScript.quote(w));
        }
        return sb.toString();
    }

    /** Whether the policy the gate will read has a rule that takes signed pushes as proof. */
    private static boolean wantsSignedPushes(Optional<Path> policyFile, String defaultPolicy) {
        if (defaultPolicy != null || policyFile.isEmpty() || !Files.isRegularFile(policyFile.get())) {
            return false;
        }
        try {
            return PolicyLoader.load(policyFile.get()).protectedRefs().stream()
                    .anyMatch(dev.gatekeeper.policy.Policy.ProtectedRef::acceptSigned);
        } catch (PolicyException e) {
            return false;
        }
    }

    /**
     * Root installing into another user's repository: everything written becomes the owner's, and so does every
     * file already in {@code $GIT_DIR/gatekeeper} (a secret written by root is one the gate cannot read).
     */
    private static void giveAway(Path gitDir, Owner owner, Executed done, List<String> notes) throws IOException {
        Path gk = PolicyLocator.repoDir(gitDir);
        List<String> reowned = new ArrayList<>();
        try (var walk = Files.walk(gk)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!owner.owns(p)) {
                    boolean ours = done.written.contains(p) || p.equals(gk) || done.createdNow.contains(p);
                    owner.chown(p);
                    if (!ours && !p.getFileName().toString().equals(LOCK_FILE)) {
                        reowned.add(InstallFiles.relative(gitDir, p));
                    }
                }
            }
        }
        for (Path p : done.written) {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !owner.owns(p)) {
                owner.chown(p);
            }
        }
        for (Path d : done.createdNow) {
            if (Files.exists(d) && !owner.owns(d)) {
                owner.chown(d);
            }
        }
        Path config = gitDir.resolve("config");
        if (Files.exists(config) && !owner.owns(config)) {
            owner.chown(config);
        }
        notes.add("written as " + owner.describe() + ", the repository's owner (git runs its hooks as that user)");
        if (!reowned.isEmpty()) {
            notes.add("gave " + owner.name() + " files the gate must read or write: " + String.join(", ", reowned));
        }
    }

    private List<HookScript.Hook> hooksToInstall() {
        return client ? List.of(HookScript.Hook.PRE_COMMIT, HookScript.Hook.PRE_PUSH)
                : List.of(HookScript.Hook.PRE_RECEIVE, HookScript.Hook.POST_RECEIVE);
    }

    /** What to do for one hook, decided before anything changes. */
    private static final class Plan {
        HookScript.Hook hook;
        Path dest;
        /** Our own hook, edited since: saved before it is overwritten. */
        boolean saveExisting;
        /** A foreign hook at dest, to be moved into chained/. */
        boolean chainExisting;
        /** The chained hook the new script runs (kept from before, adopted, or about to be moved). */
        HookManifest.ChainedHook chained;
        String problem;
        String note;
    }

    private Plan plan(Path gitDir, Optional<HookManifest> old, HookLayout chosen, HookScript.Hook hook, Path dest)
            throws IOException {
        Plan p = new Plan();
        p.hook = hook;
        p.dest = dest;
        Path chainedPath = PolicyLocator.repoDir(gitDir).resolve(CHAINED_DIR).resolve(hook.gitName());
        String rel = InstallFiles.relative(gitDir, dest);
        Optional<HookManifest.ChainedHook> kept = old.flatMap(m -> m.chainedFor(hook.gitName()));
        if (kept.isPresent() && !InstallFiles.present(gitDir.resolve(kept.get().path()))) {
            // Chaining a file that is gone would refuse every push forever; the loss is reported, not hidden.
            p.note = "the chained original " + kept.get().path() + " of " + kept.get().originalPath()
                    + " is gone and cannot be restored; it no longer runs after the gate";
            kept = Optional.empty();
        }
        if (InstallFiles.present(dest)) {
            if (Files.isSymbolicLink(dest) && !Files.exists(dest)) {
                p.problem = rel + " is a broken symbolic link (to " + Files.readSymbolicLink(dest) + "); git never"
                        + " ran it: remove it or fix it, then install again";
                return p;
            }
            byte[] content = Files.readAllBytes(dest);
            if (HookScript.isManaged(content)) {
                String expected = old.flatMap(m -> m.files().stream().filter(f -> f.hook().equals(hook.gitName()))
                        .findFirst()).map(HookManifest.InstalledFile::sha256).orElse(null);
                p.saveExisting = !InstallFiles.sha256(content).equals(expected);
                p.chained = kept.orElse(adopt(gitDir, hook, chainedPath, dest));
                return p;
            }
            if (!client && !chosen.replacesHook()) {
                p.problem = rel + " exists and was not written by gatekeeper; refusing to replace it";
                return p;
            }
            if (InstallFiles.present(chainedPath) && Files.exists(chainedPath)
                    && InstallFiles.sha256(chainedPath).equals(InstallFiles.sha256(content))) {
                // An install stopped between copying the original aside and replacing it: finish that one.
                p.chained = adopt(gitDir, hook, chainedPath, dest);
                return p;
            }
            if (InstallFiles.present(chainedPath)) {
                p.problem = rel + " is not gatekeeper's, but " + InstallFiles.relative(gitDir, chainedPath)
                        + " already holds a chained hook: both would need chaining; move one of them away";
                return p;
            }
            p.chainExisting = true;
            String link = Files.isSymbolicLink(dest) ? Files.readSymbolicLink(dest).toString() : null;
            p.chained = new HookManifest.ChainedHook(hook.gitName(), InstallFiles.relative(gitDir, chainedPath), rel,
                    InstallFiles.sha256(content), link == null ? InstallFiles.modeOf(dest) : null, link);
            return p;
        }
        p.chained = kept.orElse(adopt(gitDir, hook, chainedPath, dest));
        return p;
    }

    /** A chained hook without a manifest entry (the manifest was lost): keep running it rather than drop it. */
    private static HookManifest.ChainedHook adopt(Path gitDir, HookScript.Hook hook, Path chainedPath, Path dest)
            throws IOException {
        if (!InstallFiles.present(chainedPath)) {
            return null;
        }
        boolean link = Files.isSymbolicLink(chainedPath);
        return new HookManifest.ChainedHook(hook.gitName(), InstallFiles.relative(gitDir, chainedPath),
                InstallFiles.relative(gitDir, dest), Files.exists(chainedPath) ? InstallFiles.sha256(chainedPath) : null,
                link ? null : InstallFiles.modeOf(chainedPath),
                link ? Files.readSymbolicLink(chainedPath).toString() : null);
    }

    /** What {@link #execute} did, for the owner change, the self-test and a rollback. */
    private static final class Executed {
        Result result;
        HookManifest manifest;
        /** Whether anything in the repository changed (else it was already installed exactly so). */
        boolean changed;
        /** Every file written. */
        final Set<Path> written = new LinkedHashSet<>();
        /** Folders created by this run, outermost first. */
        final List<Path> createdNow = new ArrayList<>();
        /** Config keys this run changed, with the value each had (null: unset). */
        final Map<String, String> configBefore = new LinkedHashMap<>();

        List<String> restoreConfig(Path gitDir) {
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> c : configBefore.entrySet()) {
                try {
                    if (c.getValue() == null) {
                        RepoConfig.unset(gitDir, c.getKey());
                    } else {
                        RepoConfig.set(gitDir, c.getKey(), c.getValue());
                    }
                } catch (IOException | RuntimeException e) {
                    problems.add("cannot restore " + c.getKey() + ": " + e.getMessage());
                }
            }
            return problems;
        }
    }

    private Executed execute(Path gitDir, Optional<HookManifest> old, HookLayout chosen, List<Plan> plans,
            List<String> notes, boolean gkExisted, String defaultPolicy, boolean signed) throws IOException {
        Executed x = new Executed();
        Path gk = PolicyLocator.repoDir(gitDir);
        Set<String> created = new LinkedHashSet<>(old.map(HookManifest::createdDirectories).orElse(List.of()));
        if (!gkExisted) {
            created.add(InstallFiles.relative(gitDir, gk));
            x.createdNow.add(gk);
            x.changed = true;
        }
        RepositoryIds.Planned id = repositoryIds.get(gitDir);
        if (id != null) {
            if (id.id() != null) {
                // before the hooks: the first push must find it
                Path idFile = RecordedRepositoryId.write(gitDir, id.id());
                x.written.add(idFile);
                x.changed = true;
            }
            notes.add(id.note());
        }
        HookManifest.PolicyCopy policyCopy = old.map(HookManifest::policy).orElse(null);
        if (policy != null) {
            HookManifest.PolicyCopy copied = copyPolicy(gitDir, policy, Files.readAllBytes(policy),
                    policy.toAbsolutePath().normalize().toString(), notes, x);
            policyCopy = copied;
        } else if (defaultPolicy != null) {
            policyCopy = copyPolicy(gitDir, null, defaultPolicy.getBytes(StandardCharsets.UTF_8),
                    HookManifest.PolicyCopy.DEFAULT, notes, x);
            notes.add("no policy was given or found: installed the default policy (protects "
                    + DefaultPolicy.defaultBranch(gitDir) + " and " + DefaultPolicy.RELEASE_TAGS + "; everything else"
                    + " stays open). Edit " + gk.resolve(PolicyLocator.POLICY_FILE) + " to change it");
        }
        List<HookManifest.InstalledFile> files = new ArrayList<>();
        List<HookManifest.ChainedHook> chained = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        for (Plan p : plans) {
            for (Path dir : InstallFiles.createDirectories(p.dest.getParent())) {
                created.add(InstallFiles.relative(gitDir, dir));
                x.createdNow.add(dir);
                x.changed = true;
            }
            String rel = InstallFiles.relative(gitDir, p.dest);
            if (p.saveExisting) {
                Path saved = Saved.copy(gitDir, p.dest, clock);
                x.written.add(saved);
                notes.add(rel + " had been edited since it was installed; the edited copy is saved as "
                        + InstallFiles.relative(gitDir, saved));
                x.changed = true;
            }
            Path chainedPath = null;
            if (p.chained != null) {
                chainedPath = gitDir.resolve(p.chained.path());
                if (p.chainExisting) {
                    chain(p.dest, chainedPath, p.chained);
                    x.written.add(chainedPath);
                    notes.add("the existing " + rel + " now runs after the gate, from " + p.chained.path());
                    x.changed = true;
                }
                chained.add(p.chained);
            }
            byte[] script = HookScript.render(runtime, p.hook, chainedPath).getBytes(StandardCharsets.UTF_8);
            boolean same = Files.isRegularFile(p.dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && java.util.Arrays.equals(Files.readAllBytes(p.dest), script)
                    && InstallFiles.EXECUTABLE.equals(InstallFiles.modeOf(p.dest));
            if (!same) {
                // The rename replaces whatever is at dest in one step: there is never a moment without a hook.
                InstallFiles.writeAtomically(p.dest, script, InstallFiles.EXECUTABLE);
                x.changed = true;
            }
            x.written.add(p.dest);
            files.add(new HookManifest.InstalledFile(p.hook.gitName(), rel, InstallFiles.sha256(script)));
            written.add(p.dest);
        }
        List<HookManifest.ConfigValue> config = new ArrayList<>();
        if (!client) {
            for (Map.Entry<String, String> e : new LinkedHashMap<>(SERVER_CONFIG).entrySet()) {
                String current = RepoConfig.get(gitDir, e.getKey());
                Optional<HookManifest.ConfigValue> before = old.flatMap(m -> m.configFor(e.getKey()));
                String previous = before.isPresent() ? before.get().previous() : current;
                if (!e.getValue().equals(current)) {
                    RepoConfig.set(gitDir, e.getKey(), e.getValue());
                    x.configBefore.put(e.getKey(), current);
                    notes.add(e.getKey() + " = " + e.getValue() + " (was " + (current == null ? "unset" : current)
                            + ")");
                    x.changed = true;
                }
                config.add(new HookManifest.ConfigValue(e.getKey(), e.getValue(), previous));
            }
            Optional<HookManifest.ConfigValue> seed = old.flatMap(m -> m.configFor(NONCE_SEED));
            String currentSeed = RepoConfig.get(gitDir, NONCE_SEED);
            if (signed && (currentSeed == null || currentSeed.isBlank())) {
                RepoConfig.set(gitDir, NONCE_SEED, newNonceSeed());
                x.configBefore.put(NONCE_SEED, currentSeed);
                notes.add(NONCE_SEED + " set to a new random secret: a rule accepts signed pushes, and git offers"
                        + " 'push --signed' (with replay-proof nonces) only when it is set");
                config.add(new HookManifest.ConfigValue(NONCE_SEED, HookManifest.ConfigValue.SECRET, null));
                x.changed = true;
            } else if (seed.isPresent()) {
                config.add(seed.get());
            }
        }
        HookManifest manifest = new HookManifest(HookManifest.VERSION, clock.instant().toString(),
                client ? HookManifest.CLIENT : HookManifest.SERVER, chosen, HookManifest.RuntimeInfo.of(runtime),
                files, chained, config, policyCopy, new ArrayList<>(created));
        // the runtime recorded now is present: a later move of it must be reported again
        Files.deleteIfExists(gk.resolve(RuntimeMoved.MARKER_FILE));
        if (old.isPresent() && !x.changed && old.get().sameInstallAs(manifest)) {
            x.manifest = old.get();
            x.result = new Result(gitDir, Outcome.UNCHANGED, chosen, List.copyOf(written), List.copyOf(notes),
                    Optional.empty());
            return x;
        }
        manifest.write(gitDir);
        x.written.add(HookManifest.file(gitDir));
        x.changed = true;
        x.manifest = manifest;
        x.result = new Result(gitDir, old.isPresent() ? Outcome.UPDATED : Outcome.INSTALLED, chosen,
                List.copyOf(written), List.copyOf(notes), Optional.empty());
        return x;
    }

    /** A random HMAC key for git's push-certificate nonces. */
    static String newNonceSeed() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Copies the foreign hook at {@code dest} into chained/ (bytes and mode, or the link); dest is replaced next. */
    private static void chain(Path dest, Path chainedPath, HookManifest.ChainedHook c) throws IOException {
        if (c.symlinkTarget() != null) {
            // Re-pointed absolutely: a relative link would mean something else from chained/.
            InstallFiles.symlinkAtomically(chainedPath, dest.getParent().resolve(c.symlinkTarget()).normalize());
        } else {
            InstallFiles.copyAtomically(dest, chainedPath);
        }
    }

    /** Writes the policy into the repository (saving a different one first); {@code from} null for the default. */
    private HookManifest.PolicyCopy copyPolicy(Path gitDir, Path from, byte[] bytes, String source, List<String> notes,
            Executed x) throws IOException {
        Path dest = PolicyLocator.repoDir(gitDir).resolve(PolicyLocator.POLICY_FILE);
        String sha = InstallFiles.sha256(bytes);
        boolean same = Files.isRegularFile(dest) && InstallFiles.sha256(dest).equals(sha);
        if (Files.isRegularFile(dest) && !same) {
            Path saved = Saved.copy(gitDir, dest, clock);
            x.written.add(saved);
            notes.add("the previous policy is saved as " + InstallFiles.relative(gitDir, saved));
        }
        if (!same) {
            InstallFiles.writeAtomically(dest, bytes, InstallFiles.READABLE);
            x.changed = true;
            if (from != null) {
                notes.add("policy " + from.toAbsolutePath().normalize() + " copied to "
                        + InstallFiles.relative(gitDir, dest));
            }
        }
        x.written.add(dest);
        return new HookManifest.PolicyCopy(InstallFiles.relative(gitDir, dest), sha, source);
    }

    /**
     * The repositories to work on, each git directory with the path it was given as; explicit ones must all be
     * repositories, and a search reports the folders it could not read.
     */
    record Targets(Map<Path, Path> gitDirs, Map<Path, String> failures) {
        static Targets resolve(List<Path> explicit, Path all) throws GatekeeperException {
            Map<Path, Path> dirs = new LinkedHashMap<>();
            List<String> notRepos = new ArrayList<>();
            for (Path p : explicit) {
                Optional<Path> g = GitRepositories.gitDirOf(p);
                if (g.isPresent()) {
                    dirs.putIfAbsent(g.get(), p.toAbsolutePath().normalize());
                } else {
                    notRepos.add(p.toString());
                }
            }
            if (!notRepos.isEmpty()) {
                throw new GatekeeperException(ExitCode.USAGE, "not a git repository: " + String.join(", ", notRepos));
            }
            Map<Path, String> failures = new LinkedHashMap<>();
            if (all != null) {
                if (!Files.isDirectory(all)) {
                    throw new GatekeeperException(ExitCode.USAGE, "not a folder: " + all);
                }
                GitRepositories.Scan scan;
                try {
                    scan = GitRepositories.findBare(all);
                } catch (IOException e) {
                    throw new GatekeeperException(ExitCode.USAGE, "cannot search " + all + ": " + e.getMessage(), e);
                }
                for (Path r : scan.repositories()) {
                    dirs.putIfAbsent(r, r);
                }
                for (String problem : scan.problems()) {
                    failures.put(all.toAbsolutePath().normalize(), problem);
                }
            }
            if (dirs.isEmpty() && failures.isEmpty()) {
                throw new GatekeeperException(ExitCode.USAGE, all == null ? "no repository given"
                        : "no bare repository found under " + all);
            }
            return new Targets(dirs, failures);
        }
    }

    /** Where git runs a working clone's hooks, asked of git itself: core.hooksPath, includes and all. */
    record ClientTarget(boolean bare, Path hooksDir) {
        static ClientTarget of(Path gitDir, Path given) throws IOException {
            // Run in the work tree: a relative core.hooksPath is relative to its top, and inside .git git sees none.
            Path dir = GitRepositories.isGitDir(given) && ".git".equals(String.valueOf(given.getFileName()))
                    ? given.getParent() : given;
            List<String> cmd = new ArrayList<>(List.of("git"));
            cmd.addAll(GitHooksDir.safeDirectory(dir));
            cmd.addAll(List.of("rev-parse", "--is-bare-repository", "--git-path", "hooks"));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            for (String v : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE",
                    "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")) {
                pb.environment().remove(v);
            }
            pb.redirectErrorStream(true);
            Process proc;
            try {
                proc = pb.start();
            } catch (IOException e) {
                throw new IOException("client mode asks git where hooks go, and git could not be started: "
                        + e.getMessage(), e);
            }
            String out;
            try (InputStream in = proc.getInputStream()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                out = buf.toString(StandardCharsets.UTF_8);
                if (!proc.waitFor(30, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                    throw new IOException("git rev-parse failed in " + gitDir + ": " + out.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                proc.destroy();
            }
            String[] lines = out.strip().split("\\R");
            if (lines.length < 2) {
                throw new IOException("unexpected answer from git rev-parse: " + out.strip());
            }
            Path hooks = dir.resolve(lines[1].strip()).toAbsolutePath().normalize();
            return new ClientTarget(Boolean.parseBoolean(lines[0].strip()), hooks);
        }
    }
}
