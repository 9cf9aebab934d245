package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.PolicyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "policy", description = "Work with policy files.", mixinStandardHelpOptions = true,
        subcommands = PolicyCommand.Check.class)
final class PolicyCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate policy files: every problem with file, line, column, key and what is allowed. "
                    + "Exit 0 when all are valid, 2 otherwise.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy files (YAML)")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean ok = true;
            for (Path f : files) {
                try {
                    Policy p = PolicyLoader.load(f);
                    out.println("ok: " + f + " (" + p.protectedRefs().size() + " protected ref pattern"
                            + (p.protectedRefs().size() == 1 ? "" : "s") + ")");
                } catch (PolicyException e) {
                    ok = false;
                    for (PolicyException.Problem problem : e.problems()) {
                        err.println(problem);
                    }
                }
            }
            return ok ? ExitCode.OK.code() : ExitCode.USAGE.code();
        }
    }
}
