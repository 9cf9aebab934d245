package dev.gatekeeper.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Lists verify-push in {@code gatekeeper --help} and hands every argument, options and {@code --} included, to
 * {@link VerifyPushMain}, which owns the options. {@code bin/gatekeeper} and {@link Main#main} go there directly,
 * so this is only reached through {@link Main#commandLine()} (tests, embedding).
 */
@Command(name = "verify-push",
        description = "Check that a remote branch really holds what an agent claims to have pushed "
                + "(exit 0 verified, 3 not verified, 4 inconclusive). See: gatekeeper verify-push --help")
final class VerifyPushCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARG", description = "verify-push's own options and arguments")
    List<String> args = List.of();

    @Override
    public Integer call() {
        return VerifyPushMain.run(args.toArray(new String[0]), System.getenv(),
                new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }
}
