package dev.gatekeeper.hooks;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.gate.PostReceiveCommand;
import dev.gatekeeper.gate.PreReceiveCommand;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A representative push decision run once at install time under {@code -XX:DumpLoadedClassList}, so the
 * class-data-sharing archive holds exactly the classes a real push loads (policy parse, token check, ancestry
 * walk, audit write, refusal message, and post-receive recording what landed).
 */
final class Training {
    private static final String POLICY = String.join("\n",
            "version: 1",
            "repository: training",
            "identity:",
            "  pusherEnv: [GL_USERNAME]",
            "protected:",
            "  - ref: refs/heads/main",
            "    pushers: [ci-bot]",
            "  - ref: refs/tags/v*",
            "audit:",
            "  maxFileSize: 1MB",
            "");

    private Training() {}

    static ExitCode run(PrintStream err) throws IOException {
        Path dir = Files.createTempDirectory("gatekeeper-train");
        try {
            Path gitDir = dir.resolve("training.git");
            String[] commits;
            try (Repository repo = FileRepositoryBuilder.create(gitDir.toFile())) {
                repo.create(true);
                commits = twoCommits(repo);
            }
            Path gk = gitDir.resolve("gatekeeper");
            Files.createDirectories(gk);
            Files.writeString(gk.resolve("policy.yaml"), POLICY, StandardCharsets.UTF_8);
            String secret = "training-secret-training-secret";
            Files.writeString(gk.resolve("pipeline.secret"), secret, StandardCharsets.UTF_8);
            String token = TokenCodec.mint(new TokenClaims(TokenClaims.Kind.PIPELINE, TokenCodec.newId(), "training",
                    "refs/heads/main", Optional.of(commits[1]), Instant.now(), Instant.now().plusSeconds(600),
                    Optional.empty(), Optional.empty(), false), dev.gatekeeper.token.Secret.of(secret.getBytes(StandardCharsets.UTF_8), "training"));
            Map<String, String> env = new HashMap<>();
            env.put("GIT_PUSH_OPTION_COUNT", "1");
            env.put("GIT_PUSH_OPTION_0", "gatekeeper-token=" + token);
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            String update = commits[0] + " " + commits[1] + " refs/heads/main\n";
            ExitCode allowed = call(gitDir, env, update, quiet);
            ExitCode landed = new PostReceiveCommand().setGitDir(gitDir).setEnvironment(env)
                    .setInput(new ByteArrayInputStream(update.getBytes(StandardCharsets.UTF_8))).setMessages(quiet)
                    .call().exitCode();
            ExitCode refused = call(gitDir, Map.of("GL_USERNAME", "someone"), update, quiet);
            ExitCode malformed = call(gitDir, Map.of(), "garbage\n", quiet);
            if (allowed != ExitCode.OK || landed != ExitCode.OK || refused != ExitCode.REFUSED
                    || malformed != ExitCode.USAGE) {
                err.println("gatekeeper: training run gave unexpected results: " + allowed + " " + landed + " "
                        + refused + " " + malformed);
                return ExitCode.INTERNAL_ERROR;
            }
            return ExitCode.OK;
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ExitCode call(Path gitDir, Map<String, String> env, String input, PrintStream out) {
        return new PreReceiveCommand().setGitDir(gitDir).setEnvironment(env)
                .setInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))).setMessages(out)
                .call().exitCode();
    }

    private static String[] twoCommits(Repository repo) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, "hello\n".getBytes(StandardCharsets.UTF_8));
            TreeFormatter tf = new TreeFormatter();
            tf.append("README", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob);
            ObjectId tree = ins.insert(tf);
            PersonIdent who = new PersonIdent("gatekeeper", "gatekeeper@localhost");
            CommitBuilder c1 = new CommitBuilder();
            c1.setTreeId(tree);
            c1.setAuthor(who);
            c1.setCommitter(who);
            c1.setMessage("first\n");
            ObjectId first = ins.insert(c1);
            CommitBuilder c2 = new CommitBuilder();
            c2.setTreeId(tree);
            c2.setParentId(first);
            c2.setAuthor(who);
            c2.setCommitter(who);
            c2.setMessage("second\n");
            ObjectId second = ins.insert(c2);
            ins.flush();
            return new String[] {first.name(), second.name()};
        }
    }
}
