package dev.gatekeeper.hooks;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.gate.ClientGate;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.gate.GateInputException;
import dev.gatekeeper.gate.HookInput;
import dev.gatekeeper.gate.PostReceiveCommand;
import dev.gatekeeper.gate.PreReceiveCommand;
import dev.gatekeeper.install.HookScript;
import dev.gatekeeper.install.RuntimeMoved;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What installed git hooks run. Deliberately not picocli: this is the hot path of every push, and class loading
 * is most of its cost. One argument, the hook name; input and environment exactly as git gives them.
 */
public final class HookMain {
    private HookMain() {}

    public static void main(String[] args) {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), err).code());
    }

    /** Runs one hook; also the CLI's {@code gatekeeper hook NAME}. */
    public static ExitCode run(String[] args, Map<String, String> env, PrintStream err) {
        if (args.length < 1) {
            err.println("gatekeeper: usage: HookMain pre-receive|post-receive|pre-commit|pre-push|--train");
            return ExitCode.USAGE;
        }
        try {
            switch (args[0]) {
                case "pre-receive": {
                    Path gitDir = GitDirs.serverGitDir(env);
                    if (!GitDirs.isGitDir(gitDir)) {
                        err.println("gatekeeper: refused: " + gitDir + " is not a git repository (set GIT_DIR)");
                        return ExitCode.USAGE;
                    }
                    if (env.containsKey(HookScript.ENV_JAVA_MOVED)) {
                        RuntimeMoved.report(gitDir, env, err);
                    }
                    return new PreReceiveCommand().setGitDir(gitDir).setEnvironment(env)
                            .setInput(System.in).setMessages(err).call().exitCode();
                }
                case "post-receive": {
                    Path gitDir = GitDirs.serverGitDir(env);
                    if (!GitDirs.isGitDir(gitDir)) {
                        err.println("gatekeeper: warning: " + gitDir + " is not a git repository; what landed is not"
                                + " recorded");
                        return ExitCode.USAGE;
                    }
                    return new PostReceiveCommand().setGitDir(gitDir).setEnvironment(env).setInput(System.in)
                            .setMessages(err).call().exitCode();
                }
                case "pre-commit": {
                    RuntimeMoved.report(null, env, err);
                    Path gitDir = GitDirs.clientGitDir(env);
                    return new ClientGate(GateEnvironment.load(GitDirs.commonDir(gitDir), env), env, err)
                            .preCommit(GitDirs.currentBranch(gitDir));
                }
                case "pre-push": {
                    RuntimeMoved.report(null, env, err);
                    Path gitDir = GitDirs.clientGitDir(env);
                    try {
                        return new ClientGate(GateEnvironment.load(GitDirs.commonDir(gitDir), env), env, err)
                                .prePush(HookInput.prePush(System.in));
                    } catch (GateInputException e) {
                        err.println("gatekeeper: push refused: malformed pre-push input: " + e.getMessage());
                        return ExitCode.USAGE;
                    }
                }
                case "--train":
                    return Training.run(err);
                default:
                    err.println("gatekeeper: unknown hook '" + args[0] + "'");
                    return ExitCode.USAGE;
            }
        } catch (IOException | RuntimeException e) {
            err.println("gatekeeper: refused (fail closed): " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCode.INTERNAL_ERROR;
        }
    }
}
