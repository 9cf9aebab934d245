package dev.gatekeeper.cli;

import dev.gatekeeper.settings.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.PolicyLoader;
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
                    + "Exit 0 when all are valid, 2 otherwise. --json: one JSON object on stdout, "
                    + "{valid, files: [{file, valid, protected_refs, problems: [{file, line, column, key, message, "
                    + "allowed}]}]}.")
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
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode report = mapper.createObjectNode();
            ArrayNode reports = mapper.createArrayNode();
            boolean ok = true;
            for (Path f : files) {
                ObjectNode r = reports.addObject().put("file", f.toString());
                ArrayNode problems = mapper.createArrayNode();
                try {
                    Policy p = PolicyLoader.load(f);
                    r.put("valid", true).put("protected_refs", p.protectedRefs().size());
                    if (!json) {
                        out.println("ok: " + f + " (" + p.protectedRefs().size() + " protected ref pattern"
                                + (p.protectedRefs().size() == 1 ? "" : "s") + ")");
                    }
                } catch (PolicyException e) {
                    ok = false;
                    r.put("valid", false).putNull("protected_refs");
                    for (Problem problem : e.problems()) {
                        problems.addObject().put("file", problem.file()).put("line", problem.line())
                                .put("column", problem.column()).put("key", problem.key())
                                .put("message", problem.message()).put("allowed", problem.allowed());
                        if (!json) {
                            err.println(problem);
                        }
                    }
                }
                r.set("problems", problems);
            }
            if (json) {
                report.put("valid", ok).set("files", reports);
                out.println(report);
            }
            return ok ? ExitCode.OK.code() : ExitCode.USAGE.code();
        }
    }
}
