package dev.gatekeeper.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policies/policy.schema.json} is a second description of what the loader accepts (editors and CI linters
 * read it), so it is held to the loader and to the shipped example: the schema and the loader allow the same keys
 * in every mapping, the example is valid for both and documents every key, and seeded random policies drawn from
 * the schema are accepted by the loader, while their broken variants are refused by both.
 */
class PolicySchemaTest {
    static final Path SCHEMA = Path.of("../policies/policy.schema.json");
    static final Path EXAMPLE = Path.of("../policies/example.policy.yaml");
    static final int CASES = 300;
    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    @TempDir Path tmp;

    final JsonNode schemaTree;
    final Schema schema;

    PolicySchemaTest() throws IOException {
        schemaTree = JSON.readTree(Files.readString(SCHEMA));
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(SCHEMA));
    }

    @Test
    void everyMappingAllowsTheSameKeysInTheSchemaAndTheLoader() throws Exception {
        Map<String, TreeSet<String>> mappings = new TreeMap<>();
        collect(schemaTree, "", mappings);
        assertTrue(mappings.size() >= 8, "the schema's mappings: " + mappings.keySet());
        for (Map.Entry<String, TreeSet<String>> m : mappings.entrySet()) {
            ObjectNode policy = minimal();
            ObjectNode at = mappingAt(policy, m.getKey());
            at.put("zzUnknown", "x");
            PolicyException e = refused(policy, "an unknown key in " + describe(m.getKey()));
            dev.gatekeeper.settings.Problem p = e.problems().stream().filter(x -> "zzUnknown".equals(x.key())).findFirst()
                    .orElseThrow(() -> new AssertionError("no problem about the unknown key in " + m.getKey()
                            + ": " + e.problems()));
            assertEquals("unknown key", p.message(), p.toString());
            assertEquals(String.join(", ", m.getValue()), p.allowed(),
                    "the keys of " + describe(m.getKey()) + ": the loader's (right) against the schema's (left)");
        }
    }

    @Test
    void theExamplePolicyIsValidForBothAndDocumentsEveryKey() throws Exception {
        String text = Files.readString(EXAMPLE);
        JsonNode example = YAML.readTree(text);
        assertEquals(List.of(), messages(example), "the example against the schema");
        PolicyLoader.load(EXAMPLE); // throws with every problem

        Map<String, TreeSet<String>> mappings = new TreeMap<>();
        collect(schemaTree, "", mappings);
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> m : mappings.entrySet()) {
            for (String key : m.getValue()) {
                boolean given = present(example, m.getKey(), key);
                boolean commented = Pattern.compile("(?m)^\\s*#\\s*" + Pattern.quote(key) + ":").matcher(text).find();
                if (!given && !commented) {
                    undocumented.add(describe(m.getKey()) + "." + key);
                }
            }
        }
        assertEquals(List.of(), undocumented, "keys the schema allows that example.policy.yaml neither sets nor "
                + "shows in a comment");
    }

    @Test
    void policiesDrawnFromTheSchemaAreAcceptedByTheLoader() throws Exception {
        for (int seed = 1; seed <= CASES; seed++) {
            Random rnd = new Random(seed);
            ObjectNode policy = (ObjectNode) generate(schemaTree, rnd);
            assertEquals(List.of(), messages(policy), "seed " + seed + ": the generator must draw valid policies\n"
                    + YAML.writeValueAsString(policy));
            try {
                load(policy);
            } catch (PolicyException e) {
                fail("seed " + seed + ": valid for the schema, refused by the loader: " + e.getMessage() + "\n"
                        + YAML.writeValueAsString(policy));
            }
        }
    }

    @Test
    void brokenPoliciesAreRefusedByBoth() throws Exception {
        int refusedByBoth = 0;
        for (int seed = 1; seed <= CASES; seed++) {
            Random rnd = new Random(seed);
            ObjectNode policy = (ObjectNode) generate(schemaTree, rnd);
            String how = Breakage.values()[seed % Breakage.values().length].apply(policy, rnd);
            if (how == null) {
                continue; // nothing of that kind in this policy
            }
            String yaml = YAML.writeValueAsString(policy);
            assertTrue(!messages(policy).isEmpty(), "seed " + seed + " (" + how + "): the schema accepts\n" + yaml);
            try {
                load(policy);
                fail("seed " + seed + " (" + how + "): the loader accepts what the schema refuses\n" + yaml);
            } catch (PolicyException expected) {
                refusedByBoth++;
            }
        }
        assertTrue(refusedByBoth > CASES / 2, "broken policies tried: " + refusedByBoth);
    }

    /** Ways to break a valid policy that the schema and the loader must both refuse. */
    enum Breakage {
        UNKNOWN_KEY {
            @Override
            String apply(ObjectNode p, Random rnd) {
                List<ObjectNode> maps = new ArrayList<>();
                objects(p, maps);
                maps.get(rnd.nextInt(maps.size())).put("colour", "blue");
                return "an unknown key";
            }
        },
        MAPPING_AS_SCALAR {
            @Override
            String apply(ObjectNode p, Random rnd) {
                List<String> names = new ArrayList<>();
                p.fieldNames().forEachRemaining(n -> {
                    if (p.get(n).isObject()) {
                        names.add(n);
                    }
                });
                if (names.isEmpty()) {
                    return null;
                }
                String n = names.get(rnd.nextInt(names.size()));
                p.put(n, "yes");
                return n + " as a scalar";
            }
        },
        RULES_AS_MAPPING {
            @Override
            String apply(ObjectNode p, Random rnd) {
                p.putObject("protected").put("ref", "refs/heads/main");
                return "protected as one mapping";
            }
        },
        UNKNOWN_ALERT_EVENT {
            @Override
            String apply(ObjectNode p, Random rnd) {
                p.withObject("/alert").putArray("on").add("refused").add("deploy-failed");
                return "alert.on: an event there is none of";
            }
        },
        TOO_MANY_FILES {
            @Override
            String apply(ObjectNode p, Random rnd) {
                p.withObject("/audit").put("maxFiles", 1001 + rnd.nextInt(10_000));
                return "audit.maxFiles above 1000";
            }
        },
        NOT_A_DURATION {
            @Override
            String apply(ObjectNode p, Random rnd) {
                p.withObject("/alert").put("timeout", List.of("soon", "3 seconds", "-3s", "1w").get(rnd.nextInt(4)));
                return "alert.timeout not a duration";
            }
        },
        NOT_A_REF {
            @Override
            String apply(ObjectNode p, Random rnd) {
                ((ObjectNode) p.withArray("/protected").get(0)).put("ref", List.of("main", "heads/main",
                        "refs/heads/main/").get(rnd.nextInt(3)));
                return "a rule's ref not a full ref";
            }
        },
        NO_VERSION {
            @Override
            String apply(ObjectNode p, Random rnd) {
                if (rnd.nextBoolean()) {
                    p.remove("version");
                    return "no version";
                }
                p.put("version", 2);
                return "version 2";
            }
        },
        TINY_FILE {
            @Override
            String apply(ObjectNode p, Random rnd) {
                p.withObject("/audit").put("maxFileSize", 1 + rnd.nextInt(1023));
                return "audit.maxFileSize under 1KB";
            }
        };

        abstract String apply(ObjectNode p, Random rnd);

        private static void objects(JsonNode n, List<ObjectNode> out) {
            if (n.isObject()) {
                out.add((ObjectNode) n);
            }
            n.forEach(c -> objects(c, out));
        }
    }

    // ---- the schema, walked ----

    /** Every mapping the schema describes, by path ("" the top, "identity.token", "protected[]"), with its keys. */
    private void collect(JsonNode s, String path, Map<String, TreeSet<String>> out) {
        s = resolve(s);
        if (s.has("properties")) {
            TreeSet<String> keys = new TreeSet<>();
            s.get("properties").fieldNames().forEachRemaining(keys::add);
            out.put(path, keys);
            for (String k : keys) {
                collect(s.get("properties").get(k), path.isEmpty() ? k : path + "." + k, out);
            }
        }
        if (s.has("items")) {
            collect(s.get("items"), path + "[]", out);
        }
    }

    private JsonNode resolve(JsonNode s) {
        while (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), "only local references: " + ref);
            s = schemaTree.at(ref.substring(1));
        }
        return s;
    }

    private static String describe(String path) {
        return path.isEmpty() ? "the top level" : path;
    }

    private static boolean present(JsonNode doc, String path, String key) {
        List<JsonNode> at = List.of(doc);
        if (!path.isEmpty()) {
            for (String part : path.split("\\.")) {
                List<JsonNode> next = new ArrayList<>();
                boolean list = part.endsWith("[]");
                String name = list ? part.substring(0, part.length() - 2) : part;
                for (JsonNode n : at) {
                    JsonNode c = n.get(name);
                    if (c != null && list) {
                        c.forEach(next::add);
                    } else if (c != null) {
                        next.add(c);
                    }
                }
                at = next;
            }
        }
        return at.stream().anyMatch(n -> n.has(key));
    }

    /** The smallest valid policy, with every mapping the path needs. */
    private static ObjectNode minimal() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("version", 1);
        p.putArray("protected").addObject().put("ref", "refs/heads/main");
        return p;
    }

    private static ObjectNode mappingAt(ObjectNode policy, String path) {
        ObjectNode at = policy;
        if (path.isEmpty()) {
            return at;
        }
        for (String part : path.split("\\.")) {
            if (part.endsWith("[]")) {
                at = (ObjectNode) at.withArray("/" + part.substring(0, part.length() - 2)).get(0);
            } else {
                at = at.withObject("/" + part);
            }
        }
        return at;
    }

    // ---- drawing valid policies from the schema ----

    private JsonNode generate(JsonNode s, Random rnd) {
        s = resolve(s);
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (s.has("const")) {
            return s.get("const");
        }
        if (s.has("enum")) {
            return s.get("enum").get(rnd.nextInt(s.get("enum").size()));
        }
        if (s.has("oneOf")) {
            return generate(s.get("oneOf").get(rnd.nextInt(s.get("oneOf").size())), rnd);
        }
        String type = s.path("type").asText();
        switch (type) {
            case "object": {
                ObjectNode o = f.objectNode();
                TreeSet<String> required = new TreeSet<>();
                s.path("required").forEach(r -> required.add(r.asText()));
                for (Iterator<Map.Entry<String, JsonNode>> it = s.get("properties").fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (required.contains(p.getKey()) || rnd.nextInt(3) > 0) {
                        o.set(p.getKey(), generate(p.getValue(), rnd));
                    }
                }
                return o;
            }
            case "array": {
                ArrayNode a = f.arrayNode();
                JsonNode items = resolve(s.get("items"));
                int n = rnd.nextInt(items.has("properties") ? 3 : 4) + (items.has("properties") ? 1 : 0);
                TreeSet<String> distinct = new TreeSet<>();
                for (int i = 0; i < n; i++) {
                    JsonNode v = generate(items, rnd);
                    if (!v.isTextual() || distinct.add(v.asText())) {
                        a.add(v);
                    }
                }
                return a;
            }
            case "boolean":
                return f.booleanNode(rnd.nextBoolean());
            case "integer": {
                int min = s.path("minimum").asInt(0);
                int max = s.has("maximum") ? s.get("maximum").asInt() : min + 100_000;
                return f.numberNode(min + rnd.nextInt(max - min + 1));
            }
            case "string":
                return f.textNode(string(s, rnd));
            default:
                throw new AssertionError("a schema node the generator does not know: " + s);
        }
    }

    private static String string(JsonNode s, Random rnd) {
        String pattern = s.path("pattern").asText("");
        if (pattern.contains("ms|s|m|h|d")) { // a duration
            return (1 + rnd.nextInt(90)) + List.of("ms", "s", "m", "h", "d").get(rnd.nextInt(5));
        }
        if (pattern.contains("[kKmMgG]")) { // a size of at least 1KB
            return rnd.nextBoolean() ? String.valueOf(1024 + rnd.nextInt(1 << 20))
                    : (1 + rnd.nextInt(64)) + List.of("KB", "MB", "KiB", "MiB", "kb", "GB").get(rnd.nextInt(6));
        }
        if (pattern.startsWith("^refs/")) {
            return List.of("refs/heads/main", "refs/heads/release/*", "refs/tags/v*", "refs/heads/**",
                    "refs/heads/hotfix-?").get(rnd.nextInt(5));
        }
        if (pattern.startsWith("^https?://")) {
            return (rnd.nextBoolean() ? "https" : "http") + "://alerts.example.invalid/hook/" + rnd.nextInt(1000);
        }
        assertTrue(pattern.isEmpty(), "a string pattern the generator does not know: " + pattern);
        return List.of("app", "CI_PUSHER", "ci-bot", "pipeline.secret", "ABCDEF0123456789", "Open a pull request.")
                .get(rnd.nextInt(6)) + (rnd.nextBoolean() ? "" : rnd.nextInt(100));
    }

    // ---- the two judges ----

    private List<String> messages(JsonNode doc) {
        return schema.validate(doc).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private Policy load(JsonNode doc) throws PolicyException, IOException {
        return PolicyLoader.parse(new StringReader(YAML.writeValueAsString(doc)), "generated.policy.yaml", tmp);
    }

    private PolicyException refused(JsonNode doc, String what) throws IOException {
        try {
            load(doc);
        } catch (PolicyException e) {
            return e;
        }
        throw new AssertionError("the loader accepts " + what + ":\n" + YAML.writeValueAsString(doc));
    }
}
