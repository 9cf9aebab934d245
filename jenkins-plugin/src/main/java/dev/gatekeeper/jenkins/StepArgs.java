package dev.gatekeeper.jenkins;

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
     * A list argument: each entry trimmed, blanks dropped, and an entry holding several lines split into one entry
     * per line (the form's text area sends one string; Groovy sends a list).
     */
    static List<String> entries(List<String> given) {
        List<String> out = new ArrayList<>();
        if (given != null) {
            for (String entry : given) {
                if (entry != null) {
                    for (String line : entry.split("\\R")) {
                        String t = text(line);
                        if (t != null) {
                            out.add(t);
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
