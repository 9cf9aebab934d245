package dev.gatekeeper.jenkins;

import hudson.EnvVars;
import hudson.util.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/**
 * The block's extra variables. Kept as {@link Secret}s because the expander is saved with the running program
 * (Jenkins encrypts Secrets on disk); every variable carrying the token is declared sensitive so Pipeline warns
 * about Groovy string interpolation of it and masks it where it can.
 */
final class TokenEnvironment extends EnvironmentExpander {
    private static final long serialVersionUID = 1L;
    private final LinkedHashMap<String, Secret> vars = new LinkedHashMap<>();
    private final TreeSet<String> sensitive = new TreeSet<>();

    TokenEnvironment(Map<String, String> vars) {
        vars.forEach((k, v) -> {
            this.vars.put(k, Secret.fromString(v));
            if (!k.startsWith("GIT_CONFIG_COUNT") && !k.startsWith("GIT_CONFIG_KEY_")) {
                sensitive.add(k);
            }
        });
    }

    @Override
    public void expand(EnvVars env) {
        vars.forEach((k, v) -> env.override(k, v.getPlainText()));
    }

    @Override
    public Set<String> getSensitiveVariables() {
        return new TreeSet<>(sensitive);
    }
}
