package dev.gatekeeper.jenkins;

import dev.gatekeeper.drift.TargetSpecs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The list-of-strings forms the steps took before their lists became describables ({@code probes:
 * ['http:https://app/healthz']}, {@code checkouts: ['/srv/app@main']}, …), still accepted from Pipeline: the step
 * descriptors' {@code customInstantiate} (structs' CustomDescribableModel, which DescribableModel calls before it
 * binds named arguments) turns each string into the map of the structured form. A string holding several lines is
 * one entry per line, as the old text areas sent them. Uninstantiation (the Snippet Generator) always writes the
 * structured form.
 */
final class LegacyListForms {
    private LegacyListForms() {}

    static Map<String, Object> probes(Map<String, Object> arguments) {
        return convert(arguments, "probes", s -> Map.of("url", s));
    }

    static Map<String, Object> driftTargets(Map<String, Object> arguments) {
        Map<String, Object> a = convert(arguments, "checkouts", s -> withBranch("path", TargetSpecs.checkoutParts(s)));
        a = convert(a, "bares", s -> Map.of("path", s));
        return convert(a, "githubRepos", s -> withBranch("repo", TargetSpecs.githubParts(s)));
    }

    private static Map<String, Object> withBranch(String key, String[] whereBranch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, whereBranch[0]);
        if (whereBranch[1] != null) {
            m.put("branch", whereBranch[1]);
        }
        return m;
    }

    /** {@code arguments} itself when {@code key} holds no string; else a copy with each string as its map. */
    private static Map<String, Object> convert(Map<String, Object> arguments, String key,
            Function<String, Map<String, Object>> structured) {
        Object value = arguments.get(key);
        List<?> given = value instanceof List<?> l ? l : value instanceof CharSequence ? List.of(value) : null;
        if (given == null || given.stream().noneMatch(e -> e instanceof CharSequence)) {
            return arguments;
        }
        List<Object> out = new ArrayList<>();
        for (Object e : given) {
            if (e instanceof CharSequence text) {
                for (String line : text.toString().split("\\R")) {
                    String t = StepArgs.text(line);
                    if (t != null) {
                        out.add(structured.apply(t));
                    }
                }
            } else {
                out.add(e);
            }
        }
        Map<String, Object> copy = new LinkedHashMap<>(arguments);
        copy.put(key, out);
        return copy;
    }
}
