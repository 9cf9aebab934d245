package dev.gatekeeper.policy;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.outcome.Verdict;
import dev.gatekeeper.settings.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code policy check} as every packaging runs it: each file loaded strictly, every problem with its place. The
 * outcome is valid (exit 0) when all are, else invalid (exit 2: a malformed policy is a configuration error).
 */
public final class PolicyCheck {
    private PolicyCheck() {}

    /** The verdict: every file valid, or not. */
    public enum PolicyVerdict implements Verdict {
        VALID(ExitCode.OK, "valid"),
        INVALID(ExitCode.USAGE, "invalid");

        private final ExitCode exitCode;
        private final String wire;

        PolicyVerdict(ExitCode exitCode, String wire) {
            this.exitCode = exitCode;
            this.wire = wire;
        }

        @Override
        public ExitCode exitCode() {
            return exitCode;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    /**
     * @param valid every file is valid
     * @param files each file checked, in the order given
     */
    public record Report(boolean valid, List<FileReport> files) {
        /** Every problem of every file, in file order. */
        public List<Problem> problems() {
            return files.stream().flatMap(f -> f.problems().stream()).toList();
        }
    }

    /** @param protectedRefs how many protected ref patterns a valid file has; null for an invalid one */
    public record FileReport(String file, boolean valid, Integer protectedRefs, List<Problem> problems) {}

    public static Outcome<Report> run(List<Path> files) {
        List<FileReport> reports = new ArrayList<>();
        for (Path f : files) {
            try {
                Policy p = PolicyLoader.load(f);
                reports.add(new FileReport(f.toString(), true, p.protectedRefs().size(), List.of()));
            } catch (PolicyException e) {
                reports.add(new FileReport(f.toString(), false, null, e.problems()));
            }
        }
        Report report = new Report(reports.stream().allMatch(FileReport::valid), reports);
        return new Outcome<>(report.valid() ? PolicyVerdict.VALID : PolicyVerdict.INVALID, summary(report), report,
                List.of());
    }

    private static String summary(Report r) {
        List<Problem> problems = r.problems();
        if (problems.isEmpty()) {
            return "valid: " + String.join(", ", r.files().stream().map(f -> f.file() + " (" + f.protectedRefs()
                    + " protected ref pattern" + (f.protectedRefs() == 1 ? "" : "s") + ")").toList());
        }
        return problems.size() + (problems.size() == 1 ? " problem: " : " problems, the first: ") + problems.get(0);
    }
}
