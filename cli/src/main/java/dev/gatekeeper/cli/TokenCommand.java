package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.identity.RepositoryIdentity;
import dev.gatekeeper.install.SecretInstaller;
import dev.gatekeeper.policy.Units;
import dev.gatekeeper.token.BreakGlass;
import dev.gatekeeper.token.MintTokenCommand;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Mint pipeline and break-glass tokens.",
        subcommands = {TokenCommand.Mint.class, TokenCommand.BreakGlassToken.class, TokenCommand.NewSecret.class})
final class TokenCommand {

    @Command(name = "mint", mixinStandardHelpOptions = true,
            description = {"Mint a short-lived pipeline token bound to repository, ref and new SHA. Push with:",
                "  git push -o gatekeeper-token=$(gatekeeper token mint --repo app --ref refs/heads/main) origin HEAD:main"})
    static final class Mint implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--repo", description = "repository id as the server knows it (default: from the push URL "
                + "of --remote in --git-dir: git@host:team/app.git is team/app)")
        String repo;
        @Option(names = "--remote", defaultValue = "origin", description = "remote whose URL names the repository "
                + "when --repo is not given (default: origin)")
        String remote;
        @Option(names = "--ref", required = true, description = "full ref name, e.g. refs/heads/main")
        String ref;
        @Option(names = "--sha", description = "the commit to be pushed (default: HEAD of --git-dir)")
        String sha;
        @Option(names = "--git-dir", defaultValue = ".", description = "repository to read HEAD from (default: .)")
        Path gitDir;
        @Option(names = "--ttl", defaultValue = "10m", description = "lifetime, e.g. 10m (max 24h; default 10m)")
        String ttl;
        @Option(names = "--secret-env", defaultValue = "GATEKEEPER_PIPELINE_SECRET",
                description = "environment variable holding the secret (default: ${DEFAULT-VALUE})")
        String secretEnv;
        @Option(names = "--secret-file", description = "file holding the secret (used when the variable is unset)")
        Path secretFile;

        @Override
        public Integer call() throws GatekeeperException {
            String commit = sha != null ? sha : head(gitDir);
            String repository = repo != null ? repo : repositoryOf(gitDir, remote);
            MintTokenCommand.Minted m = new MintTokenCommand().setKind(TokenClaims.Kind.PIPELINE)
                    .setRepository(repository)
                    .setRef(ref).setSha(commit).setTtl(duration(ttl)).setSecret(secret(secretEnv, secretFile))
                    .call();
            spec.commandLine().getOut().println(m.token());
            return ExitCode.OK.code();
        }
    }

    @Command(name = "break-glass", mixinStandardHelpOptions = true,
            description = {"Mint a break-glass token from the admin secret: accepted even when the policy is "
                    + "broken, always audited and alerted. Push with -o gatekeeper-break-glass=TOKEN."})
    static final class BreakGlassToken implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--repo", required = true, description = "repository name as the server knows it")
        String repo;
        @Option(names = "--reason", required = true, description = "why (mandatory; audited and alerted)")
        String reason;
        @Option(names = "--ref", defaultValue = "refs/**", description = "ref pattern it may update (default: any)")
        String ref;
        @Option(names = "--by", description = "who asks (default: $USER)")
        String by;
        @Option(names = "--ttl", defaultValue = "15m", description = "lifetime (max 1h; default 15m)")
        String ttl;
        @Option(names = "--allow-force", description = "also allow non-fast-forward updates and deletions")
        boolean allowForce;
        @Option(names = "--secret-env", defaultValue = BreakGlass.ENV_SECRET,
                description = "environment variable holding the admin secret (default: ${DEFAULT-VALUE})")
        String secretEnv;
        @Option(names = "--secret-file", description = "file holding the admin secret")
        Path secretFile;

        @Override
        public Integer call() throws GatekeeperException {
            String who = by != null ? by : System.getenv().getOrDefault("USER", "unknown");
            MintTokenCommand.Minted m = new MintTokenCommand().setKind(TokenClaims.Kind.BREAK_GLASS)
                    .setRepository(repo).setRef(ref).setReason(reason).setIssuer(who).setAllowForce(allowForce)
                    .setTtl(duration(ttl)).setSecret(secret(secretEnv, secretFile)).call();
            spec.commandLine().getErr().println("gatekeeper: break-glass token " + m.claims().id() + " for " + repo
                    + " until " + m.claims().expiresAt() + "; every use is audited and alerted");
            spec.commandLine().getOut().println(m.token());
            return ExitCode.OK.code();
        }
    }

    @Command(name = "new-secret", mixinStandardHelpOptions = true,
            description = {"Print a new random 32-byte secret (base64) for a pipeline or break-glass secret file.",
                "With --install REPO, also write it where that repository's gate reads it (mode 0600, owned by the"
                    + " repository's owner, as root too) and prove the gate can read it."})
    static final class NewSecret implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--install", paramLabel = "REPO", description = "write it into this repository")
        Path install;
        @Option(names = "--kind", defaultValue = "pipeline", paramLabel = "KIND",
                description = "pipeline (where the policy's identity.token reads it; default) or break-glass")
        String kind;
        @Option(names = "--rotate", description = "replace an existing secret (tokens minted from it stop working)")
        boolean rotate;

        @Override
        public Integer call() throws GatekeeperException {
            if (install == null) {
                byte[] b = new byte[32];
                new SecureRandom().nextBytes(b);
                spec.commandLine().getOut().println(Base64.getEncoder().encodeToString(b));
                return ExitCode.OK.code();
            }
            SecretInstaller.Kind k = switch (kind) {
                case "pipeline" -> SecretInstaller.Kind.PIPELINE;
                case "break-glass" -> SecretInstaller.Kind.BREAK_GLASS;
                default -> throw new GatekeeperException(ExitCode.USAGE, "--kind is pipeline or break-glass, not "
                        + kind);
            };
            SecretInstaller.Result r = new SecretInstaller().setRepository(install).setKind(k).setRotate(rotate)
                    .setCommandLine(Installation.commandLine(spec)).call();
            java.io.PrintWriter err = spec.commandLine().getErr();
            err.println("gatekeeper: wrote the " + kind + " secret to " + r.file());
            r.notes().forEach(n -> err.println("gatekeeper:   " + n));
            // the secret itself on stdout, for the pipeline's (or the admins') secret store
            spec.commandLine().getOut().println(r.secret());
            return r.selfTest().filter(st -> st.failed()).isPresent() ? ExitCode.ACTION_FAILED.code()
                    : ExitCode.OK.code();
        }
    }

    static Duration duration(String text) throws GatekeeperException {
        try {
            return Units.duration(text);
        } catch (IllegalArgumentException e) {
            throw new GatekeeperException(ExitCode.USAGE, "--ttl: " + e.getMessage());
        }
    }

    static Secret secret(String env, Path file) throws GatekeeperException {
        Optional<Secret> s;
        try {
            s = Secret.load(System.getenv(), env, file);
        } catch (IllegalStateException e) {
            throw new GatekeeperException(ExitCode.USAGE, e.getMessage());
        }
        return s.orElseThrow(() -> new GatekeeperException(ExitCode.USAGE, "no secret: $" + env + " is not set"
                + (file == null ? " and no --secret-file was given" : " and " + file + " does not exist")));
    }

    /** The repository id a push from the clone at {@code dir} to {@code remote} names (core's one derivation). */
    static String repositoryOf(Path dir, String remote) throws GatekeeperException {
        try (Repository r = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile())
                .setMustExist(true).build()) {
            return RepositoryIdentity.ofClone(r, remote).orElseThrow(() -> new GatekeeperException(ExitCode.USAGE,
                    "cannot tell the repository from remote '" + remote + "' of " + dir + "; pass --repo"));
        } catch (IOException | IllegalArgumentException e) {
            throw new GatekeeperException(ExitCode.USAGE, "cannot read the remote of " + dir + ": " + e.getMessage()
                    + "; pass --repo");
        }
    }

    static String head(Path dir) throws GatekeeperException {
        try (Repository r = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile())
                .setMustExist(true).build()) {
            ObjectId id = r.resolve("HEAD");
            if (id == null) {
                throw new GatekeeperException(ExitCode.USAGE, "HEAD of " + dir + " names no commit; pass --sha");
            }
            return id.name();
        } catch (IOException | IllegalArgumentException e) {
            throw new GatekeeperException(ExitCode.USAGE, "cannot read HEAD of " + dir + ": " + e.getMessage()
                    + "; pass --sha");
        }
    }
}
