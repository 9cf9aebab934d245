package dev.gatekeeper.install;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gatekeeper.policy.PolicyLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an install did to one repository, so that status can tell tampering from a legitimate state and uninstall
 * can put everything back: every file written with its SHA-256, every hook moved aside, every config value set
 * and the value it replaced. Paths are relative to the git directory when inside it, else absolute. Kept in
 * {@code $GIT_DIR/gatekeeper/hooks-manifest.json}, where a push cannot write.
 *
 * @param version the manifest format, {@link #VERSION}
 * @param installedAt when, ISO-8601 UTC
 * @param mode {@link #SERVER} or {@link #CLIENT}
 * @param layout where the server hook went (PLAIN for client hooks)
 * @param runtime what the hooks start
 * @param files the hook scripts written
 * @param chained the hooks that were there before and now run after the gate
 * @param config the repository config values set
 * @param policy the policy copied in, or null
 * @param createdDirectories folders the install created, outermost first, removed by uninstall when empty
 */
public record HookManifest(int version, String installedAt, String mode, HookLayout layout, RuntimeInfo runtime,
        List<InstalledFile> files, List<ChainedHook> chained, List<ConfigValue> config, PolicyCopy policy,
        List<String> createdDirectories) {
    public static final int VERSION = 1;
    public static final String FILE_NAME = "hooks-manifest.json";
    public static final String SERVER = "server";
    public static final String CLIENT = "client";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public HookManifest {
        files = files == null ? List.of() : List.copyOf(files);
        chained = chained == null ? List.of() : List.copyOf(chained);
        config = config == null ? List.of() : List.copyOf(config);
        createdDirectories = createdDirectories == null ? List.of() : List.copyOf(createdDirectories);
    }

    /** A hook script Gatekeeper wrote. */
    public record InstalledFile(String hook, String path, String sha256) {}

    /**
     * A hook that was in the way, moved to {@code path} and run after the gate.
     *
     * @param originalPath where it was, and where uninstall puts it back
     * @param sha256 of its content (of the link's target for a symbolic link)
     * @param mode its POSIX mode ("0755"), null where there is none
     * @param symlinkTarget the link text when the original was a symbolic link (restored verbatim), else null
     */
    public record ChainedHook(String hook, String path, String originalPath, String sha256, String mode,
            String symlinkTarget) {}

    /**
     * A repository config value set by the install.
     *
     * @param previous the value before the first install, null when it was unset (uninstall then unsets it)
     */
    public record ConfigValue(String key, String value, String previous) {
        /**
         * The value recorded for a secret the install set (receive.certNonceSeed): never the secret itself; status
         * checks that some value is set, uninstall unsets it.
         */
        public static final String SECRET = "(a secret set by gatekeeper)";

        /** Whether {@code now}, the value in the config, is still this one (booleans as git reads them). */
        public boolean matches(String now) {
            return SECRET.equals(value) ? now != null && !now.isBlank() : HookStatus.sameValue(value, now);
        }
    }

    /** The policy copied into the repository. */
    public record PolicyCopy(String path, String sha256, String source) {
        /** The source of a policy the install wrote itself ({@link DefaultPolicy}). */
        public static final String DEFAULT = "default";
    }

    /**
     * The runtime the scripts start, for diagnosis and drift checks.
     *
     * @param linkedJar {@link HookRuntime#linkedJar()}, or null (also in manifests written before it existed)
     */
    public record RuntimeInfo(String java, List<String> classpath, List<String> jvmOptions, String cdsArchive,
            String linkedJar) {
        static RuntimeInfo of(HookRuntime r) {
            return new RuntimeInfo(r.java().toString(), r.classpath().stream().map(Path::toString).toList(),
                    r.jvmOptions(), r.cdsArchive().map(Path::toString).orElse(null),
                    r.linkedJar().map(Path::toString).orElse(null));
        }

        /** The runtime the scripts were written for. */
        public HookRuntime toRuntime() {
            return new HookRuntime(Path.of(java), classpath.stream().map(Path::of).toList(), jvmOptions,
                    Optional.ofNullable(cdsArchive).map(Path::of), Optional.ofNullable(linkedJar).map(Path::of));
        }
    }

    public static Path file(Path gitDir) {
        return PolicyLocator.repoDir(gitDir).resolve(FILE_NAME);
    }

    /**
     * @return empty when there is no manifest
     * @throws IOException when there is one that cannot be read or is of a newer format
     */
    public static Optional<HookManifest> read(Path gitDir) throws IOException {
        Path f = file(gitDir);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        HookManifest m;
        try {
            m = JSON.readValue(bytes, HookManifest.class);
        } catch (JsonProcessingException e) {
            throw new IOException("the manifest " + f + " is not readable: " + e.getOriginalMessage(), e);
        }
        if (m.version() != VERSION) {
            throw new IOException("the manifest " + f + " has format version " + m.version() + "; this Gatekeeper"
                    + " reads version " + VERSION);
        }
        if (m.layout() == null || m.mode() == null) {
            throw new IOException("the manifest " + f + " lacks its layout or mode");
        }
        return Optional.of(m);
    }

    /** Writes the manifest atomically. */
    public void write(Path gitDir) throws IOException {
        InstallFiles.writeAtomically(file(gitDir), JSON.writeValueAsBytes(this), InstallFiles.READABLE);
    }

    /** Whether {@code other} installed exactly the same things (when aside, the time differs). */
    public boolean sameInstallAs(HookManifest other) {
        return version == other.version && java.util.Objects.equals(mode, other.mode) && layout == other.layout
                && java.util.Objects.equals(runtime, other.runtime) && files.equals(other.files)
                && chained.equals(other.chained) && config.equals(other.config)
                && java.util.Objects.equals(policy, other.policy)
                && createdDirectories.equals(other.createdDirectories);
    }

    public Optional<ChainedHook> chainedFor(String hook) {
        return chained.stream().filter(c -> c.hook().equals(hook)).findFirst();
    }

    public Optional<ConfigValue> configFor(String key) {
        return config.stream().filter(c -> c.key().equals(key)).findFirst();
    }

    public boolean client() {
        return CLIENT.equals(mode);
    }
}
