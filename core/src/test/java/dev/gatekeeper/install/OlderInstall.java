package dev.gatekeeper.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a server install made by this version into the exact shape the version before issue 12 (post-receive
 * recorder) and 13 (hook-jar fallback) wrote: hook script v2, whose only check of the class path is "missing:
 * refuse" (HookScript at 74e869b^), no post-receive hook, a manifest without it and without {@code linkedJar}.
 * Shared with the CLI's end-to-end tests (test-jar).
 */
public final class OlderInstall {
    /** The v3 hook-jar discovery, from its first line to the end of its if (HookScript.appendJarDiscovery). */
    private static final Pattern JAR_DISCOVERY = Pattern.compile(
            "GK_JAR_MOVED=\n(for f in ([^\n]*); do\n)    if \\[ ! -r \"\\$f\" \\]; then\n.*?\n    fi\nfi\n",
            Pattern.DOTALL);
    private static final Pattern REFUSED = Pattern.compile("echo \"(gatekeeper: [a-z-]+ refused \\(fail closed\\): )"
            + "hook jar \\$GK_JAR_MOVED is missing");

    private OlderInstall() {}

    /** Rewrites {@code gitDir}'s install (PLAIN or a .d layout, no chained post-receive) as v2 wrote it. */
    public static void asVersion2(Path gitDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path manifestFile = HookManifest.file(gitDir);
        ObjectNode manifest = (ObjectNode) json.readTree(manifestFile.toFile());
        for (JsonNode c : manifest.path("chained")) {
            if ("post-receive".equals(c.path("hook").asText())) {
                throw new IllegalStateException("a chained post-receive: v2 would have left it in place");
            }
        }
        ((ObjectNode) manifest.path("runtime")).remove("linkedJar");
        ArrayNode files = (ArrayNode) manifest.path("files");
        for (int i = files.size() - 1; i >= 0; i--) {
            ObjectNode f = (ObjectNode) files.get(i);
            Path p = gitDir.resolve(f.path("path").asText());
            if ("post-receive".equals(f.path("hook").asText())) {
                Files.delete(p);
                files.remove(i);
                continue;
            }
            String v2 = version2(Files.readString(p, StandardCharsets.UTF_8));
            Files.writeString(p, v2, StandardCharsets.UTF_8);
            f.put("sha256", InstallFiles.sha256(p));
        }
        json.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
    }

    /** A v3 gate script as v2 rendered it: the v2 marker, the class path check that refuses, one gate condition. */
    static String version2(String v3) {
        if (!v3.contains(HookScript.MARKER + "\n")) {
            throw new IllegalArgumentException("not a v" + HookScript.VERSION + " script:\n" + v3);
        }
        Matcher refused = REFUSED.matcher(v3);
        if (!refused.find()) {
            throw new IllegalArgumentException("no hook-jar refusal in:\n" + v3);
        }
        Matcher discovery = JAR_DISCOVERY.matcher(v3);
        if (!discovery.find()) {
            throw new IllegalArgumentException("no hook-jar discovery in:\n" + v3);
        }
        String check = discovery.group(1)
                + "    if [ ! -r \"$f\" ]; then\n"
                + "        echo \"" + refused.group(1) + "$f is missing; reinstall the hook\" >&2\n"
                + "        exit " + HookScript.CONFIG_ERROR + "\n"
                + "    fi\n"
                + "done\n";
        String out = v3.substring(0, discovery.start()) + check + v3.substring(discovery.end());
        return out.replace(HookScript.MARKER + "\n", "# gatekeeper-managed hook v2\n")
                .replace("if [ -z \"$GK_MOVED$GK_JAR_MOVED\" ]; then", "if [ -z \"$GK_MOVED\" ]; then");
    }
}
