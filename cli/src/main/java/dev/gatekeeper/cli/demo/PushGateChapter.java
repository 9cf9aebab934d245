package dev.gatekeeper.cli.demo;

import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Timeline;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.PolicyLoader;
import dev.gatekeeper.token.MintTokenCommand;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Chapter 1: the push gate. A bare "server" repository with our hooks installed, and real pushes: a developer's
 * direct push refused, a feature branch accepted, the pipeline's token accepted, a replayed token refused, a
 * force-push refused even for the pipeline, a broken policy failing closed, break-glass letting the fix through.
 */
final class PushGateChapter {
    static final String POLICY = String.join("\n",
            "version: 1",
            "repository: app",
            "protected:",
            "  - ref: refs/heads/main",
            "    howToLand: \"Open a pull request; the pipeline merges it and pushes main.\"",
            "  - ref: refs/heads/release/*",
            "alert:",
            "  on: [break-glass, policy-error]",
            "");

    private final DemoShell sh;
    private final DemoSetup setup;

    PushGateChapter(DemoShell sh, DemoSetup setup) {
        this.sh = sh;
        this.setup = setup;
    }

    void play() throws IOException, InterruptedException, GatekeeperException {
        Path server = setup.serverRepo();
        Path gk = server.resolve("gatekeeper");
        Secret pipelineSecret = writeSecret(gk.resolve("pipeline.secret"));
        Secret adminSecret = writeSecret(gk.resolve("break-glass.secret"));

        try (AlertReceiver pager = new AlertReceiver()) {
            Files.writeString(gk.resolve("alert.url"), pager.url() + "\n", StandardCharsets.UTF_8);
            sh.say("== Chapter 1: the push gate ==");
            sh.say("  A bare repository stands in for the git server: " + server);
            sh.say("  Gatekeeper's pre-receive hook is installed; the policy protects main and release/*.");
            sh.say("  Alerts go to a stand-in pager listening on " + pager.url() + " (gatekeeper/alert.url).");
            sh.say("");

            Path alice = setup.clone("alice");
            Files.writeString(alice.resolve("README.md"), "# app\n", StandardCharsets.UTF_8);
            sh.quiet(alice, "git", "add", "README.md");
            sh.quiet(alice, "git", "commit", "-q", "-m", "Add README");

            sh.say("1. Alice, a developer (or an agent), pushes straight to main.");
            DemoShell.Run r = sh.git("alice", alice, "push", "origin", "HEAD:main");
            sh.expect(r.exitCode() != 0 && r.output().contains("REFUSED refs/heads/main"),
                    "refused: main only moves through the pipeline");

            sh.say("2. She pushes a feature branch instead.");
            r = sh.git("alice", alice, "push", "origin", "HEAD:feature/readme");
            sh.expect(r.exitCode() == 0, "accepted: feature branches are not protected");

            sh.say("3. The pipeline merges it and pushes main with a token bound to this repository, ref and commit.");
            String sha = sh.exec(alice, java.util.Map.of(), List.of("git", "rev-parse", "HEAD")).output().trim();
            String token = mint(pipelineSecret, "refs/heads/main", sha);
            sh.say("  [pipeline] $ TOKEN=$(gatekeeper token mint --repo app --ref refs/heads/main --sha "
                    + sha.substring(0, 12) + "…)");
            r = sh.git("pipeline", alice, "push", "-o", "gatekeeper-token=" + token, "origin", "HEAD:main");
            sh.expect(r.exitCode() == 0 && r.output().contains("accepted refs/heads/main"),
                    "accepted: the token proves the push comes from the pipeline");

            sh.say("4. Someone replays that token to push a different commit.");
            Files.writeString(alice.resolve("backdoor.txt"), "oops\n", StandardCharsets.UTF_8);
            sh.quiet(alice, "git", "add", "backdoor.txt");
            sh.quiet(alice, "git", "commit", "-q", "-m", "Sneak in a change");
            r = sh.git("mallory", alice, "push", "-o", "gatekeeper-token=" + token, "origin", "HEAD:main");
            sh.expect(r.exitCode() != 0 && r.output().contains("is for commit"),
                    "refused: the token is bound to the commit it was minted for");

            sh.say("5. The pipeline itself tries to rewrite history (force-push).");
            sh.quiet(alice, "git", "switch", "-q", "--orphan", "rewritten");
            Files.writeString(alice.resolve("README.md"), "# app, history rewritten\n", StandardCharsets.UTF_8);
            sh.quiet(alice, "git", "add", "README.md");
            sh.quiet(alice, "git", "commit", "-q", "-m", "Rewritten history");
            String rewritten = sh.exec(alice, java.util.Map.of(), List.of("git", "rev-parse", "HEAD")).output().trim();
            String forceToken = mint(pipelineSecret, "refs/heads/main", rewritten);
            r = sh.git("pipeline", alice, "push", "--force", "-o", "gatekeeper-token=" + forceToken, "origin",
                    "HEAD:main");
            sh.expect(r.exitCode() != 0 && r.output().contains("non-fast-forward"),
                    "refused: no force-push on main, not even for the pipeline");

            sh.say("6. An admin edits the policy and makes a typo. The gate fails closed.");
            Path policy = gk.resolve("policy.yaml");
            Files.writeString(policy, POLICY.replace("  - ref: refs/heads/release/*",
                    "  - ref: refs/heads/release/*\n    alowDeletion: true"), StandardCharsets.UTF_8);
            sh.say("  [admin]   $ gatekeeper policy check " + policy.getFileName());
            try {
                PolicyLoader.load(policy);
                sh.expect(false, "the broken policy was accepted");
            } catch (PolicyException e) {
                for (Problem p : e.problems()) {
                    sh.say("              " + p);
                }
                sh.expect(true, "the typo is found with its line and column");
            }
            sh.quiet(alice, "git", "switch", "-q", "-C", "urgent-fix", "origin/main");
            Files.writeString(alice.resolve("fix.txt"), "urgent fix\n", StandardCharsets.UTF_8);
            sh.quiet(alice, "git", "add", "fix.txt");
            sh.quiet(alice, "git", "commit", "-q", "-m", "Urgent fix");
            String fix = sh.exec(alice, java.util.Map.of(), List.of("git", "rev-parse", "HEAD")).output().trim();
            r = sh.git("pipeline", alice, "push", "-o", "gatekeeper-token=" + mint(pipelineSecret,
                    "refs/heads/main", fix), "origin", "HEAD:main");
            sh.expect(r.exitCode() != 0 && r.output().contains("fail-closed"),
                    "refused: with no usable policy every ref is protected, even the pipeline waits");

            sh.say("7. The fix cannot wait: the on-call admin uses break-glass (admin secret, reason, 15 minutes).");
            String glass = new MintTokenCommand().setKind(TokenClaims.Kind.BREAK_GLASS).setRepository("app")
                    .setReason("INC-42: urgent fix while the policy is broken").setIssuer("oncall-admin")
                    .setSecret(adminSecret).call().token();
            sh.say("  [admin]   $ BREAK_GLASS=$(gatekeeper token break-glass --repo app --reason 'INC-42: …')");
            r = sh.git("admin", alice, "push", "-o", "gatekeeper-break-glass=" + glass, "origin", "HEAD:main");
            boolean alerted = waitForAlert(pager);
            sh.expect(r.exitCode() == 0 && r.output().contains("BREAK-GLASS") && alerted,
                    "accepted, audited and alerted (the pager received " + pager.received().size() + " alert"
                            + (pager.received().size() == 1 ? "" : "s") + ")");

            sh.say("8. The admin fixes the policy; the pipeline is the way in again.");
            Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
            Files.writeString(alice.resolve("later.txt"), "later\n", StandardCharsets.UTF_8);
            sh.quiet(alice, "git", "add", "later.txt");
            sh.quiet(alice, "git", "commit", "-q", "-m", "A later change");
            r = sh.git("alice", alice, "push", "origin", "HEAD:main");
            sh.expect(r.exitCode() != 0 && r.output().contains("rule: refs/heads/main"),
                    "refused by the repaired policy: main is protected again");
        }

        sh.say("The audit trail (gatekeeper events tail --git-dir " + server + "):");
        for (var e : GateEnvironment.load(server, java.util.Map.of()).auditTrail().readAll().events()) {
            sh.say("  " + Timeline.line(e));
        }
        sh.say("");
    }

    private static boolean waitForAlert(AlertReceiver pager) throws InterruptedException {
        for (int i = 0; i < 50 && pager.received().isEmpty(); i++) {
            Thread.sleep(100);
        }
        return !pager.received().isEmpty();
    }

    private String mint(Secret secret, String ref, String sha) throws GatekeeperException {
        return new MintTokenCommand().setKind(TokenClaims.Kind.PIPELINE).setRepository("app").setRef(ref)
                .setSha(sha).setSecret(secret).call().token();
    }

    private static Secret writeSecret(Path file) throws IOException {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String text = Base64.getEncoder().encodeToString(b);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
        return Secret.of(text.getBytes(StandardCharsets.UTF_8), "file " + file);
    }
}
