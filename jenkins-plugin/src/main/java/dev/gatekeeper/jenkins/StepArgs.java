package dev.gatekeeper.jenkins;

import dev.gatekeeper.watch.Heartbeats;
import java.util.ArrayList;
import java.util.List;

/** How the steps read their arguments, whether they come from Groovy or from the Snippet Generator's form. */
final class StepArgs {
    private StepArgs() {}

    /** Jenkins passes empty form fields as "" and Groovy may pass blanks: both mean "not given". */
    static String text(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * A job's name for pings and heartbeats as the steps' {@code job} takes it: null when blank.
     *
     * @throws IllegalArgumentException naming what a job's name may hold
     */
    static String job(String v) {
        String j = text(v);
        return j == null ? null : Heartbeats.checkJobName(j);
    }

    /** A list of describables as given: nulls dropped, unmodifiable. */
    static <T> List<T> list(List<T> given) {
        List<T> out = new ArrayList<>();
        if (given != null) {
            for (T t : given) {
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return List.copyOf(out);
    }
}
