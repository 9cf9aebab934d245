package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged distribution ({@code bin/gatekeeper}, {@code lib/}, {@code lib/hook/gatekeeper-hook.jar}) that
 * {@code mvn package} built, run exactly as an administrator runs it. Failsafe passes its folder as the system
 * property {@code gatekeeper.dist}.
 */
final class Dist {
    static final String PROPERTY = "gatekeeper.dist";
    private static final Pattern TOKEN = Pattern.compile("gk1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern BREAK_GLASS_ID = Pattern.compile("break-glass token (tok-[A-Za-z0-9_-]+) for ");

    private final Map<String, String> env;
    private final Path home;
    private final List<String> runAs;

    Dist(Map<String, String> env) {
        this(env, null, List.of());
    }

    private Dist(Map<String, String> env, Path home, List<String> runAs) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.runAs = List.copyOf(runAs);
    }

    /**
     * A copy of the distribution unpacked in {@code dir} (readable by every user, as an admin unpacks it into
     * /opt), for tests whose hooks run as another user: the build's own folder may not be readable by them.
     */
    Dist copyTo(Path dir) {
        return unpackAs(dir.resolve("gatekeeper"));
    }

    /** {@link #copyTo(Path)} into the folder {@code target} itself (created, with its parents), e.g. versions/A. */
    Dist copyAs(Path target) {
        try {
            Files.createDirectories(target.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return unpackAs(target);
    }

    private Dist unpackAs(Path target) {
        Path dir = target.getParent();
        Proc.run(dir, env, null, Proc.DEFAULT_TIMEOUT, List.of("cp", "-a", home().toString(), target.toString()))
                .expectOk();
        Proc.run(dir, env, null, Proc.DEFAULT_TIMEOUT, List.of("chmod", "-R", "a+rX", target.toString())).expectOk();
        // class-data-sharing archives are caches earlier runs made, not part of the distribution
        Proc.run(dir, env, null, Proc.DEFAULT_TIMEOUT, List.of("find", target.resolve("lib").toString(), "-name",
                "*.jsa", "-delete")).expectOk();
        return new Dist(env, target, runAs);
    }

    /**
     * The distribution run through {@code home} as its folder, e.g. a symbolic link such as /opt/gatekeeper to the
     * unpacked version, exactly as an administrator types {@code /opt/gatekeeper/bin/gatekeeper}.
     */
    Dist at(Path home) {
        return new Dist(env, home, runAs);
    }

    /** The same distribution, with another environment. */
    Dist withEnv(Map<String, String> other) {
        return new Dist(other, home, runAs);
    }

    /** The same distribution, run through {@code prefix} (e.g. setpriv as another user). */
    Dist runningAs(List<String> prefix) {
        return new Dist(env, home, prefix);
    }

    /** This distribution's folder. */
    Path dir() {
        return home != null ? home : home();
    }

    /** The distribution's folder; fails clearly when the tests run without one (e.g. outside "mvn verify"). */
    static Path home() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            fail("system property " + PROPERTY + " is not set: run the *IT tests through 'mvn verify' (failsafe)");
        }
        Path home = Path.of(p).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(home.resolve("bin/gatekeeper")), "no executable bin/gatekeeper in " + home
                + "; build it with ./mvnw -B -DskipTests package");
        assertTrue(Files.isRegularFile(hookJar(home)), "no lib/hook/gatekeeper-hook.jar in " + home);
        return home;
    }

    static Path launcher() {
        return home().resolve("bin/gatekeeper");
    }

    static Path hookJar(Path home) {
        return home.resolve("lib/hook/gatekeeper-hook.jar");
    }

    Proc.Result run(Path cwd, String... args) {
        return run(cwd, Map.of(), null, Proc.DEFAULT_TIMEOUT, args);
    }

    Proc.Result run(Path cwd, Map<String, String> extraEnv, byte[] stdin, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(runAs);
        cmd.add(dir().resolve("bin/gatekeeper").toString());
        cmd.addAll(List.of(args));
        Map<String, String> e = new HashMap<>(env);
        e.putAll(extraEnv);
        return Proc.run(cwd, e, stdin, timeout, cmd);
    }

    /** {@code gatekeeper hooks install [--no-cds] --policy POLICY REPO}; fails the test unless it exits 0. */
    Proc.Result install(Path policy, Path repo, boolean cds) {
        List<String> args = new ArrayList<>(List.of("hooks", "install"));
        if (!cds) {
            args.add("--no-cds");
        }
        args.addAll(List.of("--policy", policy.toString(), repo.toString()));
        return run(repo.getParent(), args.toArray(String[]::new)).expectOk();
    }

    /** {@code gatekeeper hooks install --no-cds [EXTRA...] --all ROOT}; fails the test unless it exits 0. */
    Proc.Result installAll(Path root, String... extra) {
        List<String> args = new ArrayList<>(List.of("hooks", "install", "--no-cds"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--all", root.toString()));
        return run(root, args.toArray(String[]::new)).expectOk();
    }

    /** {@code gatekeeper drift scan --full --json --bare GIT_DIR --state STATE}; the result is not checked. */
    Proc.Result driftScanBare(Path cwd, Path gitDir, Path state) {
        return run(cwd, "drift", "scan", "--full", "--json", "--bare", gitDir.toString(), "--state",
                state.toString());
    }

    /** {@code gatekeeper token mint ...}: the token it printed (checked to look like one). */
    String mint(Path cwd, String repo, String ref, String sha, Path secretFile, String... extra) {
        List<String> args = new ArrayList<>(List.of("token", "mint", "--repo", repo, "--ref", ref, "--sha", sha,
                "--secret-file", secretFile.toString()));
        args.addAll(List.of(extra));
        Proc.Result r = run(cwd, args.toArray(String[]::new)).expectOk();
        return onlyToken(r);
    }

    /** {@code gatekeeper token mint --ref REF --sha SHA --secret-file F [EXTRA...]} with no --repo: the default. */
    String mintWithDefaultRepo(Path cwd, String ref, String sha, Path secretFile, String... extra) {
        List<String> args = new ArrayList<>(List.of("token", "mint", "--ref", ref, "--sha", sha, "--secret-file",
                secretFile.toString()));
        args.addAll(List.of(extra));
        return onlyToken(run(cwd, args.toArray(String[]::new)).expectOk());
    }

    /** A break-glass token and the id {@code token break-glass} announced on stderr. */
    record BreakGlassToken(String token, String id) {}

    BreakGlassToken breakGlass(Path cwd, String repo, String reason, Path secretFile) {
        Proc.Result r = run(cwd, "token", "break-glass", "--repo", repo, "--reason", reason, "--secret-file",
                secretFile.toString()).expectOk();
        Matcher m = BREAK_GLASS_ID.matcher(r.stderr());
        assertTrue(m.find(), "token break-glass should name the token id on stderr\n" + r.describe());
        return new BreakGlassToken(onlyToken(r), m.group(1));
    }

    /** {@code gatekeeper token new-secret}: a fresh secret, checked to be 32 random bytes in base64. */
    String newSecret(Path cwd) {
        Proc.Result r = run(cwd, "token", "new-secret").expectOk();
        String s = r.stdout().strip();
        assertTrue(s.matches("[A-Za-z0-9+/]{43}="), "new-secret should print 32 bytes as base64\n" + r.describe());
        return s;
    }

    /** One claim of a token ({@code repo}, {@code ref}, {@code sha}, …), read without checking its signature. */
    static String claim(String token, String name) {
        String[] parts = token.split("\\.");
        assertTrue(parts.length == 3, "not a token: " + token);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8);
        for (String kv : claims.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8)
                    .equals(name)) {
                return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return fail("no claim '" + name + "' in " + claims);
    }

    private static String onlyToken(Proc.Result r) {
        String out = r.stdout().strip();
        assertTrue(TOKEN.matcher(out).matches(), "expected exactly one token on stdout\n" + r.describe());
        return out;
    }
}
