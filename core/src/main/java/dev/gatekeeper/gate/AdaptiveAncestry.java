package dev.gatekeeper.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cheapest correct fast-forward check for the size of the push: the {@code git} binary for the first few
 * questions (two short processes each, ~5 ms, and no JGit class loading: most pushes ask at most one), then JGit
 * in this JVM for the rest (opening the repository costs ~150 ms once, each question then well under a
 * millisecond). A push updating 8,000 protected branches would otherwise start 16,000 processes (~50 s here).
 */
final class AdaptiveAncestry implements Ancestry, AutoCloseable {
    /** After this many questions, the next ones go to JGit: 8 x 2 processes cost about what opening JGit does. */
    static final int CLI_QUESTIONS = 8;

    private final Ancestry cli;
    private final Path gitDir;
    private final Map<String, String> env;
    private JGitAncestry jgit;
    private int asked;

    AdaptiveAncestry(Path gitDir, Map<String, String> env) {
        this.cli = new GitCliAncestry(gitDir, env);
        this.gitDir = gitDir;
        this.env = env;
    }

    @Override
    public boolean isFastForward(String oldId, String newId) throws IOException {
        if (asked++ < CLI_QUESTIONS) {
            return cli.isFastForward(oldId, newId);
        }
        if (jgit == null) {
            jgit = new JGitAncestry(gitDir, env);
        }
        return jgit.isFastForward(oldId, newId);
    }

    @Override
    public void close() {
        if (jgit != null) {
            jgit.close();
        }
    }
}
