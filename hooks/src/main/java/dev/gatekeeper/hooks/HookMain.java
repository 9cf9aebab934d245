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
    /** {@code gatekeeper hook --help}: a constant, so that the hook's class loads nothing more for it. */
    static final String USAGE = "Usage: gatekeeper hook NAME [ARGS...]\n"
            + "Run one of Gatekeeper's git hooks by hand, exactly as an installed hook runs it: standard input, the\n"
            + "arguments and the environment as git gives them (GIT_DIR, GIT_PUSH_OPTION_*, GIT_QUARANTINE_PATH...).\n"
            + "\n"
            + "Hooks:\n"
            + "  pre-receive    the push gate (server): reads '<old> <new> <ref>' lines, refuses direct pushes,\n"
            + "                 force-pushes and deletions of protected refs that do not prove they come from the pipeline\n"
            + "  post-receive   records what landed in the audit trail (server); never refuses anything\n"
            + "  pre-commit     early feedback in a working clone: a commit on a protected branch\n"
            + "  pre-push       early feedback in a working clone: a push the server will refuse (ARGS: remote, URL)\n"
            + "\n"
            + "Options (only before NAME):\n"
            + "  -h, --help     this help\n"
            + "  -V, --version  the version of Gatekeeper\n"
            + "\n"
            + "Install them with 'gatekeeper hooks install'; check them with 'gatekeeper hooks status'.\n"
            + "Exit codes: 0 allowed, 1 internal error (the push is refused), 2 usage or configuration error (malformed\n"
            + "policy or input; the push is refused), 3 refused.\n";

    private HookMain() {}

    public static void main(String[] args) {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), err).code());
    }

    /** Runs one hook; also the CLI's {@code gatekeeper hook NAME}. */
    public static ExitCode run(String[] args, Map<String, String> env, PrintStream err) {
        if (args.length < 1) {
            err.println("gatekeeper: which hook? pre-receive, post-receive, pre-commit or pre-push (see gatekeeper hook"
                    + " --help)");
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
                    if (env.containsKey(HookScript.ENV_JAVA_MOVED) || env.containsKey(HookScript.ENV_JAR_MOVED)) {
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
                case "-h":
                case "--help":
                    System.out.print(USAGE);
                    System.out.flush();
                    return ExitCode.OK;
                case "-V":
                case "--version":
                    System.out.println(dev.gatekeeper.Version.line());
                    return ExitCode.OK;
                default:
                    err.println("gatekeeper: unknown hook '" + args[0] + "': pre-receive, post-receive, pre-commit or "
                            + "pre-push (see gatekeeper hook --help)");
                    return ExitCode.USAGE;
            }
        } catch (IOException | RuntimeException e) {
            err.println("gatekeeper: refused (fail closed): " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCode.INTERNAL_ERROR;
        }
    }
}
