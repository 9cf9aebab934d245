package dev.gatekeeper.jenkins;

import hudson.util.FormValidation;

/** Form checks that reuse the setters' own validation, so the form and Pipeline refuse the same values. */
final class FormChecks {
    private FormChecks() {}

    interface Check {
        void run();
    }

    static FormValidation check(Check c) {
        try {
            c.run();
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
