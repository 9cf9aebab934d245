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
 * Checks that what {@link HookInstaller} put in each repository is still there and unchanged: the hook files
 * (content and executable bit: git silently skips a hook that is not executable), the chained hooks, the config
 * values, the runtime the script starts, and that no {@code core.hooksPath} now steers git away from the hook.
 * Read-only. Each finding has a reason a human can act on; the drift scanner reuses the records.
 */
public final class HookStatus {
    private List<Path> repositories = List.of();
    private Path all;

    public HookStatus setRepositories(List<Path> repositories) {
        this.repositories = repositories == null ? List.of() : List.copyOf(repositories);
        return this;
    }
    /** Also check every bare repository under {@code dir}. */
    public HookStatus setAll(Path dir) { this.all = dir; return this; }

    /** Worst first: a repository's state is that of its worst finding. */
    public enum State {
        /** Changed since the install: the gate may run something else, or be skipped. */
        TAMPERED,
        /** Not installed, or part of it is gone: pushes are not (all) judged by the gate, or all refused. */
        MISSING,
        /** Installed and unchanged. */
        INSTALLED
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
    public record Result(Path gitDir, State state, List<Finding> findings, Optional<HookManifest> manifest) {
        public boolean installed() {
            return state == State.INSTALLED;
        }
    }

    /** @throws GatekeeperException (USAGE) when a path given is not a repository, or none is given */
    public List<Result> call() throws GatekeeperException {
        HookInstaller.Targets targets = HookInstaller.Targets.resolve(repositories, all);
        List<Result> out = new ArrayList<>();
        for (Path gitDir : targets.gitDirs().keySet()) {
            out.add(check(gitDir));
        }
        for (Map.Entry<Path, String> f : targets.failures().entrySet()) {
            out.add(new Result(f.getKey(), State.MISSING, List.of(new Finding(State.MISSING, f.getKey().toString(),
                    f.getValue() + " (a repository there would go unchecked)")), Optional.empty()));
        }
        return out;
    }

    /** The state of one git directory. */
    public static Result check(Path gitDir) {
        Optional<HookManifest> manifest;
        try {
            manifest = HookManifest.read(gitDir);
        } catch (IOException e) {
            return result(gitDir, List.of(new Finding(State.TAMPERED, rel(gitDir, HookManifest.file(gitDir)),
                    e.getMessage())), Optional.empty());
        }
        if (manifest.isEmpty()) {
            return result(gitDir, List.of(unmanifested(gitDir)), Optional.empty());
        }
        HookManifest m = manifest.get();
        List<Finding> findings = new ArrayList<>();
        try {
            checkFiles(gitDir, m, findings);
            checkChained(gitDir, m, findings);
            checkConfig(gitDir, m, findings);
            checkRuntime(m, findings);
            if (!m.client()) {
                HookInstaller.hooksPathProblem(gitDir, m.layout())
                        .ifPresent(p -> findings.add(new Finding(State.TAMPERED, "core.hooksPath", p)));
            }
        } catch (IOException | RuntimeException e) {
            findings.add(new Finding(State.TAMPERED, gitDir.toString(), "cannot check: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage()));
        }
        return result(gitDir, findings, manifest);
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
                findings.add(new Finding(State.TAMPERED, f.path(), "not executable any more: git skips it silently"));
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
            if (!sameValue(c.value(), now)) {
                findings.add(new Finding(State.TAMPERED, c.key(), "is " + (now == null ? "unset" : "'" + now + "'")
                        + ", installed as '" + c.value() + "'"
                        + (c.key().equals("receive.advertisePushOptions")
                                ? ": pipelines cannot send their token as a push option" : "")));
            }
        }
    }

    private static void checkRuntime(HookManifest m, List<Finding> findings) {
        if (m.runtime() == null) {
            return;
        }
        String effect = "the hook refuses every " + (m.client() ? "commit and push" : "push") + " (fail closed)";
        if (m.runtime().java() != null && !Files.isExecutable(Path.of(m.runtime().java()))) {
            findings.add(new Finding(State.MISSING, m.runtime().java(), "the java binary is gone: " + effect
                    + "; reinstall with a current runtime"));
        }
        for (String entry : m.runtime().classpath()) {
            if (!Files.exists(Path.of(entry))) {
                findings.add(new Finding(State.MISSING, entry, "this class path entry is gone: " + effect
                        + "; reinstall with a current runtime"));
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
