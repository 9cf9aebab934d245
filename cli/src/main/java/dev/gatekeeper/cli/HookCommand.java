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
        description = "Run a git hook by hand, as an installed hook runs it: pre-receive (the push gate) and "
                + "post-receive (records what landed) on a server, pre-commit or pre-push in a working clone. Reads "
                + "stdin, the arguments and the environment exactly as git gives them.")
final class HookCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", completionCandidates = Names.class,
            description = "pre-receive or post-receive (server), pre-commit or pre-push (client)")
    String name;

    /** The hooks HookMain runs, for --help and shell completion. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("pre-receive", "post-receive", "pre-commit", "pre-push").iterator();
        }
    }

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
