package dev.gatekeeper.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Secrets by credentials id, looked up on the controller (credentials live there), in the run's context so
 * folder-scoped credentials are found, and tracked so Jenkins shows where each credential was used.
 */
final class StepSecrets {
    private StepSecrets() {}

    /**
     * The secret text of {@code credentialsId}, or null when no id was given.
     *
     * @param function  the step's function name, for the message
     * @param parameter the parameter that named the id, for the message
     * @throws AbortException when no secret-text credentials have that id (naming the id, never a value)
     */
    static String text(String function, String parameter, String credentialsId, Run<?, ?> run)
            throws AbortException {
        if (credentialsId == null) {
            return null;
        }
        StringCredentials c = CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run);
        if (c == null) {
            throw new AbortException(function + ": no secret-text credentials with id '" + credentialsId + "' ("
                    + parameter + ")");
        }
        CredentialsProvider.track(run, c);
        String value = c.getSecret().getPlainText();
        if (value == null || value.isBlank()) {
            throw new AbortException(function + ": the secret-text credentials '" + credentialsId + "' ("
                    + parameter + ") are empty");
        }
        return value.trim();
    }

    /** The secret values that were given (nulls dropped), for {@link GatekeeperLog} to mask. */
    static List<String> values(String... secrets) {
        List<String> out = new ArrayList<>();
        for (String s : secrets) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
