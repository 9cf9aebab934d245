package dev.gatekeeper.install;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reverses {@link HookInstaller} as recorded in the manifest: removes our hook files, puts each chained original
 * back where it was (a rename: byte for byte, with its mode; a symbolic link as the same link), restores each
 * config value (unset when there was none) and removes the manifest.
 *
 * <p>Never deletes a hook it cannot prove it wrote: when a hook file's SHA-256 no longer matches the manifest (or
 * there is no manifest), the repository is refused unless {@link #setForce(boolean)}, and even then the file is
 * first copied to {@code $GIT_DIR/gatekeeper/saved/<name>.<time>}. The policy copy, audit log and secrets in
 * {@code $GIT_DIR/gatekeeper} stay: they are the admin's and the auditor's, not the hook's.
 */
public final class HookUninstaller {
    private List<Path> repositories = List.of();
    private Path all;
    private boolean force;
    private Clock clock = Clock.systemUTC();

    public HookUninstaller setRepositories(List<Path> repositories) {
        this.repositories = repositories == null ? List.of() : List.copyOf(repositories);
        return this;
    }
    /** Also uninstall from every bare repository under {@code dir}. */
    public HookUninstaller setAll(Path dir) { this.all = dir; return this; }
    /** Remove hooks that were edited since install too (after saving a copy). */
    public HookUninstaller setForce(boolean force) { this.force = force; return this; }
    public HookUninstaller setClock(Clock clock) { this.clock = clock; return this; }

    public enum Outcome {
        REMOVED,
        /** There was nothing of ours to remove. */
        NOT_INSTALLED,
        /** Something would be lost; nothing was changed. {@link Result#problem()} says what and how to proceed. */
        REFUSED,
        FAILED
    }

    /**
     * @param notes what was done, one line each (hooks restored, copies saved, config restored or left)
     * @param saved copies made under {@code saved/} before removing edited files
     */
    public record Result(Path gitDir, Outcome outcome, List<String> notes, List<Path> saved, Optional<String> problem) {
        public boolean ok() {
            return outcome == Outcome.REMOVED || outcome == Outcome.NOT_INSTALLED;
        }
    }

    /** @throws GatekeeperException (USAGE) when a path given is not a repository, or none is given */
    public List<Result> call() throws GatekeeperException {
        HookInstaller.Targets targets = HookInstaller.Targets.resolve(repositories, all);
        List<Result> out = new ArrayList<>();
        for (Path gitDir : targets.gitDirs().keySet()) {
            out.add(uninstallOne(gitDir));
        }
        for (Map.Entry<Path, String> f : targets.failures().entrySet()) {
            out.add(new Result(f.getKey(), Outcome.FAILED, List.of(), List.of(), Optional.of(f.getValue())));
        }
        return out;
    }

    @SuppressWarnings("try") // the lock is held for the block, never referenced
    private Result uninstallOne(Path gitDir) {
        Path gk = PolicyLocator.repoDir(gitDir);
        List<String> notes = new ArrayList<>();
        List<Path> saved = new ArrayList<>();
        List<String> created;
        try (InstallFiles.Lock lock = InstallFiles.Lock.acquire(gk.resolve(HookInstaller.LOCK_FILE))) {
            Optional<HookManifest> manifest;
            try {
                manifest = HookManifest.read(gitDir);
            } catch (IOException e) {
                return refused(gitDir, e.getMessage() + "; without it nothing can be restored safely: fix or move it");
            }
            if (manifest.isEmpty()) {
                return withoutManifest(gitDir);
            }
            HookManifest m = manifest.get();
            List<HookManifest.InstalledFile> edited = new ArrayList<>();
            for (HookManifest.InstalledFile f : m.files()) {
                Path p = gitDir.resolve(f.path());
                if (InstallFiles.present(p) && !(Files.isRegularFile(p) && InstallFiles.sha256(p).equals(f.sha256()))) {
                    edited.add(f);
                }
            }
            if (!edited.isEmpty() && !force) {
                return refused(gitDir, String.join(", ", edited.stream().map(HookManifest.InstalledFile::path).toList())
                        + " changed since gatekeeper installed it; nothing was removed. Uninstall with force to save"
                        + " the changed copy under " + InstallFiles.relative(gitDir, gk.resolve(Saved.DIR))
                        + " and remove it anyway");
            }
            for (HookManifest.InstalledFile f : edited) {
                Path copy = Saved.copy(gitDir, gitDir.resolve(f.path()), clock);
                saved.add(copy);
                notes.add(f.path() + " had been changed; saved as " + InstallFiles.relative(gitDir, copy));
            }
            for (HookManifest.InstalledFile f : m.files()) {
                Path p = gitDir.resolve(f.path());
                Optional<HookManifest.ChainedHook> c = m.chainedFor(f.hook());
                if (c.isPresent() && InstallFiles.present(gitDir.resolve(c.get().path()))) {
                    restore(gitDir, c.get(), notes);
                    if (!gitDir.resolve(c.get().originalPath()).normalize().equals(p.normalize())) {
                        Files.deleteIfExists(p);
                    }
                } else {
                    c.ifPresent(ch -> notes.add("the chained original " + ch.path() + " was already gone; "
                            + ch.originalPath() + " cannot be restored"));
                    if (Files.deleteIfExists(p)) {
                        notes.add("removed " + f.path());
                    }
                }
            }
            restoreConfig(gitDir, m, notes);
            Owner owner = Owner.of(gitDir);
            Path config = gitDir.resolve("config");
            if (!owner.isCurrentUser() && Owner.runningAsRoot() && Files.exists(config) && !owner.owns(config)) {
                owner.chown(config); // rewritten by root: it stays the owner's
            }
            removeDefaultPolicy(gitDir, m, notes);
            Files.deleteIfExists(gk.resolve(RuntimeMoved.MARKER_FILE));
            Files.deleteIfExists(HookManifest.file(gitDir));
            InstallFiles.deleteIfEmpty(gk.resolve(HookInstaller.CHAINED_DIR));
            created = m.createdDirectories();
        } catch (IOException | RuntimeException e) {
            return new Result(gitDir, Outcome.FAILED, List.copyOf(notes), List.copyOf(saved),
                    Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        // After the lock file is gone: gatekeeper/ itself may be one of the folders the install created.
        for (int i = created.size() - 1; i >= 0; i--) {
            InstallFiles.deleteIfEmpty(gitDir.resolve(created.get(i)));
        }
        return new Result(gitDir, Outcome.REMOVED, List.copyOf(notes), List.copyOf(saved), Optional.empty());
    }

    /**
     * The default policy the install wrote (no policy was given) goes with the hooks, unless someone edited it: then
     * it is the admin's. A policy copied from the admin's file always stays.
     */
    private static void removeDefaultPolicy(Path gitDir, HookManifest m, List<String> notes) throws IOException {
        HookManifest.PolicyCopy p = m.policy();
        if (p == null || !HookManifest.PolicyCopy.DEFAULT.equals(p.source())) {
            return;
        }
        Path file = gitDir.resolve(p.path());
        if (Files.isRegularFile(file) && InstallFiles.sha256(file).equals(p.sha256())) {
            Files.delete(file);
            notes.add("removed the default policy " + p.path() + " the install wrote");
        } else if (Files.exists(file)) {
            notes.add("kept " + p.path() + ": it was edited since the install wrote the default policy");
        }
    }

    /** Puts a chained original back: one rename over our hook, so git never sees the path empty. */
    private static void restore(Path gitDir, HookManifest.ChainedHook c, List<String> notes) throws IOException {
        Path from = gitDir.resolve(c.path());
        Path to = gitDir.resolve(c.originalPath());
        Files.createDirectories(to.getParent());
        if (c.symlinkTarget() != null) {
            InstallFiles.symlinkAtomically(to, Path.of(c.symlinkTarget()));
            Files.delete(from);
        } else {
            boolean unchanged = c.sha256() != null && InstallFiles.sha256(from).equals(c.sha256());
            InstallFiles.moveAtomically(from, to);
            if (unchanged) {
                InstallFiles.setMode(to, c.mode());
            } else {
                notes.add("note: " + c.originalPath() + " was changed while it was chained; restored as it is now");
            }
        }
        notes.add("restored the original " + c.originalPath());
    }

    /** Restores a value only while it is still ours: a value someone set since is theirs to keep. */
    private static void restoreConfig(Path gitDir, HookManifest m, List<String> notes) throws IOException {
        for (HookManifest.ConfigValue c : m.config()) {
            String now = RepoConfig.get(gitDir, c.key());
            if (!c.matches(now)) {
                notes.add(c.key() + " is " + (now == null ? "unset" : "'" + now + "'") + ", not the '" + c.value()
                        + "' gatekeeper set; left as it is");
            } else if (c.previous() == null) {
                RepoConfig.unset(gitDir, c.key());
                notes.add(c.key() + " unset again");
            } else {
                RepoConfig.set(gitDir, c.key(), c.previous());
                notes.add(c.key() + " restored to '" + c.previous() + "'");
            }
        }
    }

    /** No manifest: a hook with our marker may still be there, but nothing proves it is unmodified. */
    private Result withoutManifest(Path gitDir) throws IOException {
        List<Path> ours = new ArrayList<>();
        for (HookLayout l : List.of(HookLayout.PLAIN, HookLayout.GITLAB, HookLayout.GITEA)) {
            for (HookScript.Hook h : HookScript.Hook.values()) {
                Path p = l.hookPath(gitDir, h.gitName());
                if (HookStatus.managed(p)) {
                    ours.add(p);
                }
            }
        }
        if (ours.isEmpty()) {
            return new Result(gitDir, Outcome.NOT_INSTALLED, List.of(), List.of(), Optional.empty());
        }
        List<String> rels = ours.stream().map(p -> InstallFiles.relative(gitDir, p)).toList();
        if (!force) {
            return refused(gitDir, "there is no manifest, so " + String.join(", ", rels) + " cannot be verified or"
                    + " its chained original restored; nothing was removed. Install again to repair, or uninstall"
                    + " with force to save and remove it");
        }
        List<String> notes = new ArrayList<>();
        List<Path> saved = new ArrayList<>();
        for (Path p : ours) {
            Path copy = Saved.copy(gitDir, p, clock);
            saved.add(copy);
            notes.add("removed " + InstallFiles.relative(gitDir, p) + " (no manifest); saved as "
                    + InstallFiles.relative(gitDir, copy));
            Path chained = PolicyLocator.repoDir(gitDir).resolve(HookInstaller.CHAINED_DIR).resolve(p.getFileName());
            if (p.equals(HookLayout.PLAIN.hookPath(gitDir, p.getFileName().toString()))
                    && InstallFiles.present(chained)) {
                InstallFiles.moveAtomically(chained, p);
                notes.add("restored the chained original " + InstallFiles.relative(gitDir, p));
            } else {
                Files.delete(p);
            }
        }
        return new Result(gitDir, Outcome.REMOVED, notes, saved, Optional.empty());
    }

    private static Result refused(Path gitDir, String why) {
        return new Result(gitDir, Outcome.REFUSED, List.of(), List.of(), Optional.of(why));
    }
}
