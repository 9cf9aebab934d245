package dev.gatekeeper.verify;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** The agent's working clone: where HEAD, the upstream branch, the remotes and the default audit log come from. */
public final class WorkingClone implements AutoCloseable {
    private final Repository repository;

    private WorkingClone(Repository repository) {
        this.repository = repository;
    }

    /** The clone containing {@code dir} ({@code $GIT_DIR} wins, as for git), or empty outside any clone. */
    public static Optional<WorkingClone> find(Path dir) throws GatekeeperException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment()
                .findGitDir(dir.toAbsolutePath().normalize().toFile());
        if (b.getGitDir() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new WorkingClone(b.setMustExist(true).build()));
        } catch (IOException | IllegalArgumentException e) {
            throw new GatekeeperException(ExitCode.USAGE, "cannot open the git repository at " + b.getGitDir() + ": "
                    + e.getMessage());
        }
    }

    public Repository repository() {
        return repository;
    }

    /** The commit HEAD names now (read afresh: a wrapped agent may just have committed), or empty. */
    public Optional<String> head() throws GatekeeperException {
        try {
            ObjectId id = repository.resolve(Constants.HEAD);
            return Optional.ofNullable(id).map(ObjectId::name);
        } catch (IOException e) {
            throw new GatekeeperException(ExitCode.USAGE, "cannot read HEAD of " + workTreeOrGitDir() + ": "
                    + e.getMessage());
        }
    }

    /** A full object id for a revision ({@code HEAD~1}, an abbreviated SHA, a branch). */
    public String resolve(String revision) throws GatekeeperException {
        try {
            ObjectId id = repository.resolve(revision);
            if (id == null) {
                throw new GatekeeperException(ExitCode.USAGE, "'" + revision + "' names no object in "
                        + workTreeOrGitDir());
            }
            return id.name();
        } catch (IOException | RuntimeException e) {
            throw new GatekeeperException(ExitCode.USAGE, "cannot resolve '" + revision + "': " + e.getMessage());
        }
    }

    /** The short name of the checked-out branch, or empty when HEAD is detached. */
    public Optional<String> currentBranch() throws GatekeeperException {
        try {
            Ref head = repository.exactRef(Constants.HEAD);
            if (head != null && head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
                return Optional.of(head.getTarget().getName().substring(Constants.R_HEADS.length()));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new GatekeeperException(ExitCode.USAGE, "cannot read HEAD of " + workTreeOrGitDir() + ": "
                    + e.getMessage());
        }
    }

    /** Where relative remote paths are resolved: the work tree, or the git directory of a bare repository. */
    public Path workTreeOrGitDir() {
        return (repository.isBare() ? repository.getDirectory() : repository.getWorkTree()).toPath();
    }

    /** {@code <common git dir>/gatekeeper/events.jsonl}: shared by linked work trees, never committed. */
    public Path defaultAuditLog() {
        return PolicyLocator.repoDir(repository.getCommonDirectory().toPath()).resolve("events.jsonl");
    }

    @Override
    public void close() {
        repository.close();
    }
}
