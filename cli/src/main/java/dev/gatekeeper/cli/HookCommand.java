package dev.gatekeeper.cli;

import dev.gatekeeper.hooks.HookMain;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code gatekeeper hook NAME}: run a hook by hand (or from a hook someone wrote). Installed hooks do not come
 * through here: they run {@code HookMain} directly so that no push pays for picocli.
 */
@Command(name = "hook", mixinStandardHelpOptions = true,
        description = "Run a git hook: pre-receive (server), pre-commit or pre-push (client). Reads stdin and the "
                + "environment exactly as git gives them.")
final class HookCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "pre-receive, pre-commit or pre-push")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "the hook's own arguments")
    String[] rest = new String[0];

    @Override
    public Integer call() {
        String[] args = new String[rest.length + 1];
        args[0] = name;
        System.arraycopy(rest, 0, args, 1, rest.length);
        return HookMain.run(args, System.getenv(), new PrintStream(System.err, true, StandardCharsets.UTF_8)).code();
    }
}
