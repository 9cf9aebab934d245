package dev.gatekeeper.cli;

import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.outcome.OutcomeJson;
import dev.gatekeeper.policy.PolicyCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "policy", description = "Work with policy files.", mixinStandardHelpOptions = true,
        subcommands = PolicyCommand.Check.class)
final class PolicyCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate policy files: every problem with file, line, column, key and what is allowed. "
                    + "Exit 0 when all are valid, 2 otherwise. --json: the outcome as one JSON object on stdout, "
                    + "{command, verdict, exit, summary, warnings, valid, files: [{file, valid, protected_refs, "
                    + "problems: [{file, line, column, key, message, allowed}]}]}.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy files (YAML)")
        List<Path> files;

        @Option(names = "--json", description = "JSON on stdout (the problems as fields, nothing on stderr)")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Outcome<PolicyCheck.Report> o = PolicyCheck.run(files);
            if (json) {
                out.println(OutcomeJson.write("policy-check", o));
            } else {
                for (PolicyCheck.FileReport f : o.report().files()) {
                    if (f.valid()) {
                        out.println("ok: " + f.file() + " (" + f.protectedRefs() + " protected ref pattern"
                                + (f.protectedRefs() == 1 ? "" : "s") + ")");
                    }
                    f.problems().forEach(err::println);
                }
            }
            out.flush();
            err.flush();
            return o.exitCode().code();
        }
    }
}
