package dev.gatekeeper.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A remote on this file system (a path or {@code file://} URL), read directly: one {@code exactRef}, no transport,
 * no advertisement of the other refs. With 10,000 refs this is a single loose-file read or one packed-refs lookup,
 * where {@code git ls-remote} lists them all.
 */
public final class LocalRefReader implements RefReader {
    private final Path gitDir;
    private final String display;
    private Repository repository;

    public LocalRefReader(Path gitDir, String display) {
        this.gitDir = gitDir;
        this.display = display;
    }

    @Override
    public Optional<String> tip(String ref) throws RemoteReadException {
        try {
            Ref r = open().exactRef(ref);
            if (r == null || r.getObjectId() == null) {
                return Optional.empty();
            }
            if (ref.startsWith(Constants.R_TAGS)) {
                // only tags can point at tag objects; peeling a branch would open the object database for nothing
                Ref peeled = open().getRefDatabase().peel(r);
                if (peeled.getPeeledObjectId() != null) {
                    return Optional.of(peeled.getPeeledObjectId().name());
                }
            }
            return Optional.of(r.getObjectId().name());
        } catch (IOException e) {
            throw new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, "cannot read " + ref + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(String tip, String commit) throws RemoteReadException {
        try (RevWalk walk = new RevWalk(open())) {
            RevCommit t = walk.parseCommit(ObjectId.fromString(tip));
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            return walk.isMergedInto(c, t);
        } catch (MissingObjectException e) {
            return false;
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof org.eclipse.jgit.errors.IncorrectObjectTypeException) {
                return false;
            }
            throw new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, "cannot walk the history of "
                    + display + ": " + e.getMessage(), e);
        }
    }

    private Repository open() throws RemoteReadException {
        if (repository == null) {
            if (!Files.isDirectory(gitDir)) {
                throw new RemoteReadException(RemoteReadException.Kind.NO_REPOSITORY, "no repository at " + gitDir);
            }
            try {
                repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
            } catch (IOException | IllegalArgumentException e) {
                throw new RemoteReadException(RemoteReadException.Kind.NO_REPOSITORY, "not a git repository: "
                        + gitDir + " (" + e.getMessage() + ")", e);
            }
        }
        return repository;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String describe() {
        return display;
    }

    @Override
    public void close() {
        if (repository != null) {
            repository.close();
        }
    }
}
