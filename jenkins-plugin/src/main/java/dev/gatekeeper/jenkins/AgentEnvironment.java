package dev.gatekeeper.jenkins;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment core sees on the agent: the agent process's own (PATH, HOME for git) overlaid with the build's
 * variables from the step context, as a {@code sh} step would see them.
 */
final class AgentEnvironment {
    private AgentEnvironment() {}

    static Map<String, String> of(Map<String, String> buildEnv) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(buildEnv);
        return env;
    }
}
