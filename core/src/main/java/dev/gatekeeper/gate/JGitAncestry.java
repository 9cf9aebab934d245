package dev.gatekeeper.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Fast-forward check with JGit. Opened lazily (most pushes touch no protected ref with history to check) and
 * with the process environment, because inside pre-receive the pushed objects live only in git's quarantine
 * directory, named by {@code GIT_OBJECT_DIRECTORY} and {@code GIT_ALTERNATE_OBJECT_DIRECTORIES}.
 */
public final class JGitAncestry implements Ancestry, AutoCloseable {
    private final Path gitDir;
    private final Map<String, String> env;
    private Repository repository;

    public JGitAncestry(Path gitDir, Map<String, String> env) {
        this.gitDir = gitDir;
        this.env = env;
    }

    @Override
    public boolean isFastForward(String oldId, String newId) throws IOException {
        Repository repo = open();
        try (RevWalk walk = new RevWalk(repo)) {
            RevObject oldObj = walk.peel(walk.parseAny(ObjectId.fromString(oldId)));
            RevObject newObj = walk.peel(walk.parseAny(ObjectId.fromString(newId)));
            if (!(oldObj instanceof RevCommit) || !(newObj instanceof RevCommit)) {
                return false;
            }
            if (!oldId.equals(newId) && isTagObjectChange(walk, oldId, newId)) {
                return false;
            }
            return walk.isMergedInto((RevCommit) oldObj, (RevCommit) newObj);
        } catch (IncorrectObjectTypeException e) {
            return false;
        }
    }

    /** Re-pointing an annotated tag to a new tag object is a rewrite even if the commits line up. */
    private static boolean isTagObjectChange(RevWalk walk, String oldId, String newId) throws IOException {
        return walk.parseAny(ObjectId.fromString(oldId)).getType() == org.eclipse.jgit.lib.Constants.OBJ_TAG
                || walk.parseAny(ObjectId.fromString(newId)).getType() == org.eclipse.jgit.lib.Constants.OBJ_TAG;
    }

    private Repository open() throws IOException {
        if (repository == null) {
            FileRepositoryBuilder b = new FileRepositoryBuilder();
            b.setFS(org.eclipse.jgit.util.FS.DETECTED);
            // readEnvironment() reads System.getenv(); we pass what the hook was given so tests can drive it.
            b.setGitDir(gitDir.toFile());
            String objects = env.get("GIT_OBJECT_DIRECTORY");
            if (objects != null && !objects.isEmpty()) {
                b.setObjectDirectory(resolve(objects).toFile());
            }
            String alternates = env.get("GIT_ALTERNATE_OBJECT_DIRECTORIES");
            if (alternates != null && !alternates.isEmpty()) {
                for (String alt : alternates.split(java.io.File.pathSeparator)) {
                    if (!alt.isEmpty()) {
                        b.addAlternateObjectDirectory(resolve(alt).toFile());
                    }
                }
            }
            repository = b.setMustExist(true).build();
        }
        return repository;
    }

    /** Git names these relative to the hook's working directory, which is where it runs us. */
    private static Path resolve(String p) {
        return Path.of(p).toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        if (repository != null) {
            repository.close();
        }
    }
}
