package org.jenkinsci.plugins.workflow.steps;

import hudson.EnvVars;
import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Stub of workflow-step-api's EnvironmentExpander: how a block step changes its body's environment. */
public abstract class EnvironmentExpander implements Serializable {

    private static final long serialVersionUID = 1L;

    public abstract void expand(EnvVars env) throws IOException, InterruptedException;

    public Set<String> getSensitiveVariables() {
        return Collections.emptySet();
    }

    /** Applies {@code original} (if any) first, then {@code subsequent}. */
    public static EnvironmentExpander merge(EnvironmentExpander original, EnvironmentExpander subsequent) {
        if (original == null) {
            return subsequent;
        }
        return new MergedEnvironmentExpander(original, subsequent);
    }

    /** Overrides the environment with fixed values. */
    public static EnvironmentExpander constant(Map<String, String> env) {
        return new ConstantEnvironmentExpander(env);
    }

    private static final class MergedEnvironmentExpander extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;
        private final EnvironmentExpander original;
        private final EnvironmentExpander subsequent;

        MergedEnvironmentExpander(EnvironmentExpander original, EnvironmentExpander subsequent) {
            this.original = original;
            this.subsequent = subsequent;
        }

        @Override
        public void expand(EnvVars env) throws IOException, InterruptedException {
            original.expand(env);
            subsequent.expand(env);
        }

        @Override
        public Set<String> getSensitiveVariables() {
            Set<String> all = new HashSet<>(original.getSensitiveVariables());
            all.addAll(subsequent.getSensitiveVariables());
            return all;
        }
    }

    private static final class ConstantEnvironmentExpander extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> env;

        ConstantEnvironmentExpander(Map<String, String> env) {
            this.env = new TreeMap<>(env);
        }

        @Override
        public void expand(EnvVars env) {
            env.overrideAll(this.env);
        }
    }
}
