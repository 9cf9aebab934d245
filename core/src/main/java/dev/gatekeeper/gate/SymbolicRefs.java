package dev.gatekeeper.gate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which ref git will actually write for a pushed ref name. git writes through symbolic refs: with
 * {@code refs/heads/master} a symbolic ref to {@code refs/heads/main} (the usual alias after a rename), a push to
 * master moves main, and deleting master deletes main. So the gate judges every update by the ref at the end of the
 * chain, and refuses one whose chain it cannot follow (a loop, more than git's 5 levels, an unreadable or malformed
 * ref file): it cannot tell what the push would change.
 *
 * <p>Read from the files git keeps them in (a symbolic ref is always a loose file, {@code ref: <target>}, or an
 * old-style symbolic link; packed refs are never symbolic), so it costs a {@code stat} per pushed ref and no process.
 * A repository with the reftable backend (no loose files) is asked through {@code git symbolic-ref} instead.
 * Under {@code GIT_NAMESPACE}, names are resolved inside the namespace, as receive-pack stores them.
 */
public abstract class SymbolicRefs {
    /**
     * git's own limit (refs.c, SYMREF_MAXDEPTH): it reads at most 5 refs in a row, so at most 4 of them may be
     * symbolic. Found by the differential test against {@code git symbolic-ref} (a first version allowed 5).
     */
    static final int MAX_DEPTH = 5;
    /** A ref file is 41 or 65 bytes; a symbolic one a short line. Anything this long is not a ref. */
    static final int MAX_REF_FILE = 4096;

    /**
     * The outcome for one pushed name.
     *
     * @param written the ref git writes (the pushed name itself when it is no symbolic ref); null when unresolvable
     * @param via     the symbolic refs followed, in order, from the pushed name; empty for a plain ref
     * @param problem why the chain cannot be followed; null when it can
     */
    public record Resolution(String written, List<String> via, String problem) {
        public Resolution {
            via = List.copyOf(via);
        }

        public boolean resolved() {
            return problem == null;
        }

        /** Whether git writes a ref other than the one pushed. */
        public boolean aliased() {
            return !via.isEmpty();
        }

        static Resolution plain(String ref) {
            return new Resolution(ref, List.of(), null);
        }
    }

    /** Every name is itself (for callers that have no repository, e.g. pure tests of the rules). */
    public static SymbolicRefs none() {
        return new SymbolicRefs() {
            @Override
            public Resolution resolve(String ref) {
                return Resolution.plain(ref);
            }

            @Override
            Target read(String storageName) {
                return Target.notSymbolic();
            }
        };
    }

    /** The resolver for the repository at {@code gitDir}, as git would see it with {@code env}. */
    public static SymbolicRefs of(Path gitDir, Map<String, String> env) {
        String namespace = env.get("GIT_NAMESPACE");
        if (Files.isDirectory(gitDir.resolve("reftable"))) {
            return new GitSymbolicRefs(gitDir, env, namespace);
        }
        return new FileSymbolicRefs(gitDir, namespace);
    }

    private final String namespacePrefix;

    SymbolicRefs() {
        this(null);
    }

    SymbolicRefs(String namespace) {
        this.namespacePrefix = prefixOf(namespace);
    }

    /** What one symbolic-ref lookup found: a target name, not a symbolic ref, or a problem. */
    record Target(String name, String problem) {
        static Target notSymbolic() {
            return new Target(null, null);
        }

        static Target symbolic(String name) {
            return new Target(name, null);
        }

        static Target broken(String problem) {
            return new Target(null, problem);
        }
    }

    /** Reads one level: the target of {@code storageName} (a full name as stored, namespace included). */
    abstract Target read(String storageName);

    public Resolution resolve(String ref) {
        List<String> via = new ArrayList<>();
        String name = ref;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (!isSafeName(name)) {
                // git refuses such a name itself ("funny refname"); nothing to follow
                return new Resolution(name, via, null);
            }
            Target t = read(storageName(name));
            if (t.problem() != null) {
                return new Resolution(null, via, name + ": " + t.problem());
            }
            if (t.name() == null) {
                return new Resolution(name, via, null);
            }
            String target = judgedName(t.name());
            if (target == null) {
                return new Resolution(null, via, name + " points to " + t.name() + ", outside the namespace "
                        + "this push is in");
            }
            if (!target.equals("HEAD") && !target.startsWith("refs/")) {
                return new Resolution(null, via, name + " points to '" + t.name() + "', which is not a ref");
            }
            via.add(name);
            if (via.contains(target)) {
                return new Resolution(null, via, "the symbolic refs " + String.join(" -> ", via) + " -> " + target
                        + " form a loop");
            }
            name = target;
        }
        return new Resolution(null, via, "more than " + (MAX_DEPTH - 1) + " symbolic refs in a row from " + ref
                + " (git follows no more)");
    }

    private String storageName(String name) {
        return namespacePrefix == null ? name : namespacePrefix + name;
    }

    /** The name rules are matched against: the target without the namespace prefix; null when outside it. */
    private String judgedName(String stored) {
        if (namespacePrefix == null) {
            return stored;
        }
        return stored.startsWith(namespacePrefix) ? stored.substring(namespacePrefix.length()) : null;
    }

    /** {@code a/b} is {@code refs/namespaces/a/refs/namespaces/b/}, as git.c's expand_namespace writes it. */
    private static String prefixOf(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return null;
        }
        StringBuilder p = new StringBuilder();
        for (String part : namespace.split("/")) {
            if (!part.isEmpty()) {
                p.append("refs/namespaces/").append(part).append('/');
            }
        }
        return p.length() == 0 ? null : p.toString();
    }

    /** A name that stays inside the repository's ref store (git's own check_refname_format refuses the others). */
    static boolean isSafeName(String name) {
        if (name.equals("HEAD")) {
            return true;
        }
        if (!name.startsWith("refs/") || name.contains("..") || name.contains("//") || name.endsWith("/")
                || name.contains("/.") || name.length() > 1024) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The files backend: loose ref files and old-style symbolic links. */
    static final class FileSymbolicRefs extends SymbolicRefs {
        private final Path gitDir;

        FileSymbolicRefs(Path gitDir, String namespace) {
            super(namespace);
            this.gitDir = gitDir;
        }

        @Override
        Target read(String storageName) {
            Path p = gitDir.resolve(storageName);
            try {
                if (Files.isSymbolicLink(p)) {
                    String link = Files.readSymbolicLink(p).toString();
                    if (link.startsWith("refs/")) {
                        return Target.symbolic(link); // git's old symlink form: the link text is the target
                    }
                }
                if (!Files.isRegularFile(p)) {
                    // not there (packed or new: never symbolic) or a folder (git refuses the update itself)
                    return Target.notSymbolic();
                }
                String head = readHead(p);
                if (!head.startsWith("ref:")) {
                    return Target.notSymbolic();
                }
                String target = head.substring(4).strip();
                int nl = target.indexOf('\n');
                if (nl >= 0) {
                    target = target.substring(0, nl).strip();
                }
                if (target.isEmpty()) {
                    return Target.broken("an empty symbolic ref");
                }
                return Target.symbolic(target);
            } catch (NoSuchFileException e) {
                return Target.notSymbolic(); // deleted while we looked: as if it were not there
            } catch (IOException | RuntimeException e) {
                return Target.broken("cannot read " + p + " (" + e.getClass().getSimpleName() + ")");
            }
        }

        /** The first bytes of the file (through a symbolic link, as git reads one that is no old-style symref). */
        private static String readHead(Path p) throws IOException {
            try (InputStream in = Files.newInputStream(p)) {
                return new String(in.readNBytes(MAX_REF_FILE), StandardCharsets.UTF_8);
            }
        }
    }
}
