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
 */
public final class HookInstaller {
    /** What a server install sets: without it git refuses {@code git push -o gatekeeper-token=...}. */
    public static final Map<String, String> SERVER_CONFIG = Map.of("receive.advertisePushOptions", "true");
    static final String LOCK_FILE = "hooks.lock";
    static final String CHAINED_DIR = "chained";

    private List<Path> repositories = List.of();
    private Path all;
    private HookLayout layout = HookLayout.AUTO;
    private boolean client;
    private Path policy;
    private HookRuntime runtime;
    private Clock clock = Clock.systemUTC();
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
    public HookInstaller setRuntime(HookRuntime runtime) { this.runtime = runtime; return this; }
    public HookInstaller setClock(Clock clock) { this.clock = clock; return this; }
    /** The id tokens name this repository by (one repository only); see {@link RepositoryIds}. */
    public HookInstaller setRepositoryId(String id) { this.repositoryId = id; return this; }

    public enum Outcome { INSTALLED, UPDATED, FAILED }

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
            Optional<String> problem) {
        public boolean ok() {
            return outcome != Outcome.FAILED;
        }

        static Result failed(Path gitDir, HookLayout layout, String problem) {
            return new Result(gitDir, Outcome.FAILED, layout, List.of(), List.of(), Optional.of(problem));
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
            List<String> notes = new ArrayList<>();
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
                chosen = layout != HookLayout.AUTO ? layout
                        : old.map(HookManifest::layout).orElseGet(() -> HookLayout.detect(gitDir));
                if (old.isPresent() && old.get().layout() != chosen) {
                    return Result.failed(gitDir, chosen, "installed with layout " + old.get().layout()
                            + "; uninstall first to change it to " + chosen);
                }
                Optional<String> redirected = hooksPathProblem(gitDir, chosen);
                if (redirected.isPresent()) {
                    return Result.failed(gitDir, chosen, redirected.get());
                }
            }
            List<Plan> plans = new ArrayList<>();
            for (HookScript.Hook hook : hooksToInstall()) {
                Path dest = client ? clientHooksDir.resolve(hook.gitName()) : chosen.hookPath(gitDir, hook.gitName());
                Plan plan = plan(gitDir, old, chosen, hook, dest);
                if (plan.problem != null) {
                    return Result.failed(gitDir, chosen, plan.problem);
                }
                plans.add(plan);
                if (plan.note != null) {
                    notes.add(plan.note);
                }
            }
            return execute(gitDir, old, chosen, plans, notes, gkExisted);
        } catch (IOException | RuntimeException e) {
            return Result.failed(gitDir, chosen, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private List<HookScript.Hook> hooksToInstall() {
        return client ? List.of(HookScript.Hook.PRE_COMMIT, HookScript.Hook.PRE_PUSH)
                : List.of(HookScript.Hook.PRE_RECEIVE, HookScript.Hook.POST_RECEIVE);
    }

    /** A repository's own {@code core.hooksPath} elsewhere means git would never run what we install. */
    static Optional<String> hooksPathProblem(Path gitDir, HookLayout layout) throws IOException {
        if (layout == HookLayout.GITLAB) {
            return Optional.empty(); // Gitaly sets its own hooks path and runs custom_hooks itself
        }
        String hooksPath = RepoConfig.get(gitDir, "core.hooksPath");
        if (hooksPath == null || hooksPath.isBlank()) {
            return Optional.empty();
        }
        String expanded = hooksPath.equals("~") || hooksPath.startsWith("~/")
                ? System.getProperty("user.home") + hooksPath.substring(1) : hooksPath;
        Path configured = gitDir.resolve(expanded).normalize();
        if (configured.equals(gitDir.resolve("hooks").normalize())) {
            return Optional.empty();
        }
        return Optional.of("core.hooksPath is set to " + hooksPath + " in " + gitDir.resolve("config")
                + ": git would never run " + layout.hookPath(gitDir, "pre-receive") + "; unset it or use its hooks");
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

    private Result execute(Path gitDir, Optional<HookManifest> old, HookLayout chosen, List<Plan> plans,
            List<String> notes, boolean gkExisted) throws IOException {
        Path gk = PolicyLocator.repoDir(gitDir);
        Set<String> created = new LinkedHashSet<>(old.map(HookManifest::createdDirectories).orElse(List.of()));
        if (!gkExisted) {
            created.add(InstallFiles.relative(gitDir, gk));
        }
        RepositoryIds.Planned id = repositoryIds.get(gitDir);
        if (id != null) {
            if (id.id() != null) {
                RecordedRepositoryId.write(gitDir, id.id()); // before the hooks: the first push must find it
            }
            notes.add(id.note());
        }
        HookManifest.PolicyCopy policyCopy = old.map(HookManifest::policy).orElse(null);
        if (policy != null) {
            policyCopy = copyPolicy(gitDir, notes);
        }
        List<HookManifest.InstalledFile> files = new ArrayList<>();
        List<HookManifest.ChainedHook> chained = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        for (Plan p : plans) {
            for (Path dir : InstallFiles.createDirectories(p.dest.getParent())) {
                created.add(InstallFiles.relative(gitDir, dir));
            }
            String rel = InstallFiles.relative(gitDir, p.dest);
            if (p.saveExisting) {
                Path saved = Saved.copy(gitDir, p.dest, clock);
                notes.add(rel + " had been edited since it was installed; the edited copy is saved as "
                        + InstallFiles.relative(gitDir, saved));
            }
            Path chainedPath = null;
            if (p.chained != null) {
                chainedPath = gitDir.resolve(p.chained.path());
                if (p.chainExisting) {
                    chain(p.dest, chainedPath, p.chained);
                    notes.add("the existing " + rel + " now runs after the gate, from " + p.chained.path());
                }
                chained.add(p.chained);
            }
            byte[] script = HookScript.render(runtime, p.hook, chainedPath).getBytes(StandardCharsets.UTF_8);
            // The rename replaces whatever is at dest in one step: there is never a moment without a hook.
            InstallFiles.writeAtomically(p.dest, script, InstallFiles.EXECUTABLE);
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
                    notes.add(e.getKey() + " = " + e.getValue() + " (was " + (current == null ? "unset" : current)
                            + ")");
                }
                config.add(new HookManifest.ConfigValue(e.getKey(), e.getValue(), previous));
            }
        }
        HookManifest manifest = new HookManifest(HookManifest.VERSION, clock.instant().toString(),
                client ? HookManifest.CLIENT : HookManifest.SERVER, chosen, HookManifest.RuntimeInfo.of(runtime),
                files, chained, config, policyCopy, new ArrayList<>(created));
        manifest.write(gitDir);
        return new Result(gitDir, old.isPresent() ? Outcome.UPDATED : Outcome.INSTALLED, chosen, List.copyOf(written),
                List.copyOf(notes), Optional.empty());
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

    private HookManifest.PolicyCopy copyPolicy(Path gitDir, List<String> notes) throws IOException {
        Path dest = PolicyLocator.repoDir(gitDir).resolve(PolicyLocator.POLICY_FILE);
        byte[] bytes = Files.readAllBytes(policy);
        String sha = InstallFiles.sha256(bytes);
        if (Files.isRegularFile(dest) && !InstallFiles.sha256(dest).equals(sha)) {
            Path saved = Saved.copy(gitDir, dest, clock);
            notes.add("the previous policy is saved as " + InstallFiles.relative(gitDir, saved));
        }
        InstallFiles.writeAtomically(dest, bytes, InstallFiles.READABLE);
        notes.add("policy " + policy.toAbsolutePath().normalize() + " copied to " + InstallFiles.relative(gitDir, dest));
        return new HookManifest.PolicyCopy(InstallFiles.relative(gitDir, dest), sha,
                policy.toAbsolutePath().normalize().toString());
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
            ProcessBuilder pb = new ProcessBuilder("git", "rev-parse", "--is-bare-repository", "--git-path", "hooks")
                    .directory(dir.toFile());
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
