package dev.gatekeeper.install;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.policy.PolicyLocator;
import dev.gatekeeper.token.BreakGlass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gatekeeper token new-secret --install REPO}: writes a new secret where the repository's gate reads it, as
 * the repository's owner would (mode 0600, owned by that user even when root runs it), and proves the gate can read
 * it. The README once said {@code token new-secret > …/pipeline.secret; chmod 600} — run as root, that left a file
 * only root can read, and every pipeline push was refused.
 */
public final class SecretInstaller {
    /** Which secret. */
    public enum Kind {
        /** The HMAC secret pipeline tokens are minted from: where the policy's {@code identity.token} reads it. */
        PIPELINE,
        /** The admins' break-glass secret: {@code $GIT_DIR/gatekeeper/break-glass.secret}. */
        BREAK_GLASS
    }

    /**
     * @param secret the new secret (base64 of 32 random bytes), for the pipeline's or admins' secret store
     * @param file where it was written
     * @param notes what else happened (the self-test's verdict)
     */
    public record Result(String secret, Path file, Owner owner, List<String> notes,
            Optional<HookSelfTest.Result> selfTest) {}

    private Path repository;
    private Kind kind = Kind.PIPELINE;
    private boolean rotate;
    private Map<String, String> env = System.getenv();
    private List<String> commandLine = List.of();

    public SecretInstaller setRepository(Path repository) { this.repository = repository; return this; }
    public SecretInstaller setKind(Kind kind) { this.kind = kind; return this; }
    /** Replace an existing secret (tokens minted from the old one stop working). */
    public SecretInstaller setRotate(boolean rotate) { this.rotate = rotate; return this; }
    public SecretInstaller setEnvironment(Map<String, String> env) { this.env = Map.copyOf(env); return this; }
    public SecretInstaller setCommandLine(List<String> words) { this.commandLine = List.copyOf(words); return this; }

    /** @throws GatekeeperException USAGE for a path that is no repository, an existing secret, or the wrong user */
    public Result call() throws GatekeeperException {
        Path gitDir = GitRepositories.gitDirOf(repository).orElseThrow(() -> new GatekeeperException(ExitCode.USAGE,
                "not a git repository: " + repository));
        try {
            Owner owner = Owner.of(gitDir);
            if (!owner.isCurrentUser() && !Owner.runningAsRoot()) {
                StringBuilder cmd = new StringBuilder("sudo -u " + owner.name());
                for (String w : commandLine.isEmpty() ? List.of("gatekeeper", "token", "new-secret", "--install",
                        gitDir.toString()) : commandLine) {
                    cmd.append(' ').append(HookScript.quote(w));
                }
                throw new GatekeeperException(ExitCode.USAGE, gitDir + " belongs to " + owner.describe()
                        + ": the gate runs as that user and must read the secret. Run instead: " + cmd);
            }
            Path file = target(gitDir);
            if (Files.exists(file) && !rotate) {
                throw new GatekeeperException(ExitCode.USAGE, file + " already exists; --rotate replaces it (tokens"
                        + " minted from the old secret stop working)");
            }
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            String secret = Base64.getEncoder().encodeToString(b);
            List<Path> created = InstallFiles.createDirectories(file.getParent());
            InstallFiles.writeAtomically(file, (secret + "\n").getBytes(StandardCharsets.UTF_8), "0600");
            List<String> notes = new java.util.ArrayList<>();
            if (!owner.isCurrentUser()) {
                for (Path d : created) {
                    owner.chown(d);
                }
                owner.chown(file);
                notes.add("owned by " + owner.describe() + ", mode 0600: readable by the gate and no one else");
            }
            if (!file.startsWith(PolicyLocator.repoDir(gitDir))) {
                notes.add(file + " lies outside this repository: every repository whose policy names it uses it");
            }
            Optional<HookSelfTest.Result> st = Optional.empty();
            Optional<HookManifest> m = HookManifest.read(gitDir);
            if (m.isPresent() && !m.get().client()) {
                HookSelfTest.Result r = HookSelfTest.run(gitDir, m.get(), env);
                st = Optional.of(r);
                notes.add("self-test " + (r.failed() ? "FAILED: " + r.state().label() : r.verdict().name()
                        .toLowerCase(java.util.Locale.ROOT)) + ": " + r.reason());
            } else {
                notes.add("the gate is not installed here yet: gatekeeper hooks install " + gitDir);
            }
            return new Result(secret, file, owner, List.copyOf(notes), st);
        } catch (IOException e) {
            throw new GatekeeperException(ExitCode.ACTION_FAILED, "cannot write the secret: " + e.getMessage(), e);
        }
    }

    /** Where the repository's gate reads this secret from a file. */
    private Path target(Path gitDir) {
        if (kind == Kind.BREAK_GLASS) {
            return PolicyLocator.repoDir(gitDir).resolve(BreakGlass.FILE_NAME);
        }
        Policy policy = GateEnvironment.load(gitDir, env).policy();
        if (policy != null && policy.identity().token().secretFile() != null) {
            return policy.identity().token().secretFile().toAbsolutePath().normalize();
        }
        return PolicyLocator.repoDir(gitDir).resolve("pipeline.secret");
    }
}
