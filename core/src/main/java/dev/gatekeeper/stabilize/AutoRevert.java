package dev.gatekeeper.stabilize;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.gate.PushCredentials;
import dev.gatekeeper.git.GitCli;
import dev.gatekeeper.token.MintTokenCommand;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Reverts one commit on a remote branch: fetch the branch, check the guards (loop guard, already reverted, daily
 * cap), compute the revert on the branch's current tip with git's own merge ({@link GitRevert}: the tree
 * {@code git revert --no-edit [-m 1]} makes, or its conflict), write it on top of the tip, push it (with a
 * pipeline token when a secret is given), and on a lost race fetch and do it again on the new tip. Never moves
 * the user's branches, never touches their work tree or index, never force-pushes, never pushes a revert that
 * changes nothing.
 *
 * <p>Crash safety: the revert commit is recorded under {@code refs/gatekeeper/reverts/<sha>} before it is pushed.
 * A run killed between commit and push leaves that ref; the next run pushes that same commit when it still sits
 * on the branch's tip instead of making a second revert. A run killed after the push finds the revert on the
 * branch by its trailer. The record is removed once the revert is on the branch or abandoned (conflict, nothing
 * to revert, push refused, guards), and ref locks a killed run left behind are moved aside ({@link StaleLocks}).
 */
public final class AutoRevert {
    public static final String PENDING_PREFIX = "refs/gatekeeper/reverts/";
    /** What the gate says when a token names another repository (PushGate). */
    private static final Pattern WRONG_REPOSITORY = Pattern.compile(
            "token \\S+ is for repository '([^']*)', not '([^']*)'");

    public enum Status {
        /** a new revert commit was pushed */
        PUSHED,
        /** a revert left by an interrupted run was pushed */
        RESUMED,
        /** the branch already has the revert (an earlier run) */
        ALREADY_REVERTED,
        /** dry run: this revert would be pushed */
        WOULD_PUSH,
        CONFLICT,
        /** the revert changes nothing on the tip (git: "nothing to commit"); nothing is pushed */
        NOTHING_TO_REVERT,
        LOOP_GUARD,
        CAP_REACHED,
        NOT_ON_BRANCH,
        PUSH_FAILED
    }

    /**
     * What happened, with the revert commit (when one exists) and the branch tip it sits on. {@code remoteLines}:
     * every {@code remote:} line of a refused push; {@code computed}: how the revert's tree was computed (null when
     * it was not).
     */
    public record Result(Status status, String revert, String tip, String reason, List<String> conflicts,
                         int attempts, java.time.Instant pushedAt, String message, List<String> remoteLines,
                         GitRevert.Outcome computed) {
        public Result {
            conflicts = List.copyOf(conflicts);
            remoteLines = List.copyOf(remoteLines);
        }
    }

    private Repository repo;
    private String remote = "origin";
    private String branch;
    private ObjectId reverted;
    private String subject;
    private String eventId;
    private Secret secret;
    private String repoName;
    private int dailyCap = 3;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private int maxAttempts = 3;
    private boolean dryRun;
    private Duration gitTimeout = Duration.ofMinutes(2);
    private Runnable afterCommit = () -> { };
    private Map<String, String> gitEnv;
    private Path workDir;
    private PersonIdent identity;
    private GitRevert.Method method;
    private Consumer<String> warn = w -> { };

    public AutoRevert setRepository(Repository v) { this.repo = v; return this; }
    public AutoRevert setRemote(String v) { this.remote = v; return this; }
    public AutoRevert setBranch(String v) { this.branch = v; return this; }
    public AutoRevert setReverted(ObjectId v) { this.reverted = v; return this; }
    /** The first line after "Auto-revert: ", e.g. "http GET http://…/health failed: HTTP 500". */
    public AutoRevert setSubject(String v) { this.subject = v; return this; }
    public AutoRevert setEventId(String v) { this.eventId = v; return this; }
    public AutoRevert setSecret(Secret v) { this.secret = v; return this; }
    public AutoRevert setRepoName(String v) { this.repoName = v; return this; }
    public AutoRevert setDailyCap(int v) { this.dailyCap = v; return this; }
    /** The daily cap's window ends now, and a pushed revert is timed, by this clock. */
    public AutoRevert setClock(java.time.Clock v) { this.clock = v; return this; }
    public AutoRevert setMaxAttempts(int v) { this.maxAttempts = v; return this; }
    /** Evaluates against the already fetched tip and writes nothing: no fetch, no objects, no refs, no push. */
    public AutoRevert setDryRun(boolean v) { this.dryRun = v; return this; }
    public AutoRevert setGitTimeout(Duration v) { this.gitTimeout = v; return this; }
    /** The environment for git (fetch, push); null inherits this process's. */
    public AutoRevert setGitEnv(Map<String, String> v) { this.gitEnv = v; return this; }
    /** Author and committer of the revert (default: {@link #identity(Map, Repository)} of the process). */
    public AutoRevert setIdentity(PersonIdent v) { this.identity = v; return this; }
    /** Runs after the revert commit is recorded and before it is pushed (fault injection for crash tests). */
    public AutoRevert setAfterCommit(Runnable v) { this.afterCommit = v; return this; }
    /** Forces how the revert is computed (tests); default: the best the installed git offers. */
    public AutoRevert setMethod(GitRevert.Method v) { this.method = v; return this; }
    /** Receives warnings (e.g. a stale lock moved aside). */
    public AutoRevert setWarn(Consumer<String> v) { this.warn = v; return this; }

    private String branchRef() {
        return Constants.R_HEADS + branch;
    }

    private String trackingRef() {
        return Constants.R_REMOTES + remote + "/" + branch;
    }

    public Result call() throws GatekeeperException, IOException, InterruptedException {
        GitCli git = new GitCli(gitEnv == null ? Map.of() : gitEnv, gitTimeout);
        workDir = repo.isBare() ? repo.getDirectory().toPath() : repo.getWorkTree().toPath();
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit target = walk.parseCommit(reverted);
            Optional<String> loop = RevertHistory.loopGuard(target);
            if (loop.isPresent()) {
                return result(Status.LOOP_GUARD, null, null, "not reverting " + abbrev(target) + ": " + loop.get(), 0);
            }
        }
        if (!dryRun) {
            StaleLocks.clear(GitRevert.commonDir(repo),
                    List.of(trackingRef(), PENDING_PREFIX + reverted.name(), "packed-refs"))
                    .forEach(warn);
        }
        Result r = rounds(git);
        if (!dryRun && r.status() != Status.PUSHED && r.status() != Status.RESUMED) {
            forget(reverted); // on the branch already, or abandoned: the record has done its work
        }
        return r;
    }

    private Result rounds(GitCli git) throws GatekeeperException, IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (!dryRun) {
                fetch(git);
            }
            ObjectId tipId = repo.resolve(trackingRef());
            if (tipId == null) {
                tipId = repo.resolve(branchRef());
            }
            if (tipId == null) {
                return result(Status.NOT_ON_BRANCH, null, null, "no branch " + branch + " on " + remote, attempt);
            }
            Result r = attempt(git, tipId, attempt);
            if (r != null) {
                return r;
            }
            if (attempt >= maxAttempts) {
                return result(Status.PUSH_FAILED, null, tipId.name(), "lost the race to " + branch + " " + attempt
                        + " times (others keep pushing); try again", attempt);
            }
        }
    }

    /** One fetch-revert-push round on {@code tipId}; null when the push lost a race and the round must repeat. */
    private Result attempt(GitCli git, ObjectId tipId, int attempt)
            throws GatekeeperException, IOException, InterruptedException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit tip = walk.parseCommit(tipId);
            RevCommit target = walk.parseCommit(reverted);
            if (!RevertHistory.contains(repo, tip, target)) {
                return result(Status.NOT_ON_BRANCH, null, tip.name(), abbrev(target) + " is not in the history of "
                        + branch + " (" + abbrev(tip) + "): nothing to revert", attempt);
            }
            Optional<RevCommit> existing = RevertHistory.existingRevert(repo, tip, target);
            if (existing.isPresent()) {
                return result(Status.ALREADY_REVERTED, existing.get().name(), tip.name(), abbrev(target)
                        + " was already reverted by " + abbrev(existing.get()), attempt);
            }
            int today = RevertHistory.countSince(repo, tip, clock.instant().minus(Duration.ofDays(1)));
            if (today >= dailyCap) {
                return result(Status.CAP_REACHED, null, tip.name(), "already " + today + " automatic revert"
                        + (today == 1 ? "" : "s") + " on " + branch + " in the last 24 h (cap " + dailyCap + ")",
                        attempt);
            }
            GitRevert.Outcome o = new GitRevert(repo, git).setMethod(method).setKeep(!dryRun).revert(target, tip);
            String on = "reverting " + abbrev(target) + " on " + branch + " (" + abbrev(tip) + ")";
            switch (o.kind()) {
                case CONFLICT -> {
                    return new Result(Status.CONFLICT, null, tip.name(), on + " conflicts"
                            + (o.conflicts().isEmpty() ? "" : " in " + String.join(", ", o.conflicts()))
                            + (o.messages().isEmpty() ? "" : " (" + String.join("; ", o.messages()) + ")"),
                            o.conflicts(), attempt, null, null, List.of(), o);
                }
                case EMPTY -> {
                    return new Result(Status.NOTHING_TO_REVERT, null, tip.name(), "nothing to revert: " + on
                            + " changes nothing (git revert says \"nothing to commit\": the commit changed nothing"
                            + " relative to its first parent, or the branch already undid it)", List.of(), attempt,
                            null, null, List.of(), o);
                }
                default -> { }
            }
            Ref pending = repo.exactRef(PENDING_PREFIX + target.name());
            if (pending != null && !dryRun) {
                RevCommit left = walk.parseCommit(pending.getObjectId());
                // the same commit an interrupted run made, when it still fits: on this very tip, with git's tree
                // (a record from an older version, or from before the branch moved, is replaced by a new revert)
                if (left.getParentCount() == 1 && left.getParent(0).equals(tip) && left.getTree().equals(o.tree())) {
                    Result resumed = push(git, left, tip, Status.RESUMED, attempt);
                    return resumed == null ? null : withComputed(resumed, o);
                }
            }
            String message = message(target);
            if (dryRun) {
                return new Result(Status.WOULD_PUSH, null, tip.name(), "would revert " + abbrev(target) + " on "
                        + abbrev(tip), List.of(), attempt, null, message, List.of(), o);
            }
            PersonIdent who = identity != null ? identity : identity(System.getenv(), repo);
            ObjectId id;
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                id = commit(inserter, o.tree(), tip, message, who);
            }
            record(target, id);
            afterCommit.run();
            Result pushed = push(git, walk.parseCommit(id), tip, Status.PUSHED, attempt);
            return pushed == null ? null : withComputed(pushed, o);
        }
    }

    private static Result withComputed(Result r, GitRevert.Outcome o) {
        return new Result(r.status(), r.revert(), r.tip(), r.reason(), r.conflicts(), r.attempts(),
                r.pushedAt(), r.message(), r.remoteLines(), o);
    }

    /** The command a person runs to do this revert by hand, on an up-to-date branch. */
    public static String humanCommand(String remote, String branch, ObjectId reverted, boolean merge) {
        return "git switch " + branch + " && git pull --ff-only " + remote + " " + branch + " && git revert"
                + (merge ? " -m 1 " : " ") + reverted.name();
    }

    /** Writes the revert commit on top of {@code tip}; nothing else (no ref moves). */
    private static ObjectId commit(ObjectInserter inserter, ObjectId tree, RevCommit tip, String message,
                                   PersonIdent who) throws IOException {
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        c.setParentId(tip);
        c.setAuthor(who);
        c.setCommitter(who);
        c.setMessage(message);
        ObjectId id = inserter.insert(c);
        inserter.flush();
        return id;
    }

    private Result push(GitCli git, RevCommit revert, RevCommit tip, Status status, int attempt)
            throws GatekeeperException, IOException, InterruptedException {
        List<String> args = List.of("push", "--porcelain", remote, revert.name() + ":" + branchRef());
        GitCli.Result r;
        if (secret != null) {
            MintTokenCommand.Minted token = new MintTokenCommand().setKind(TokenClaims.Kind.PIPELINE)
                    .setRepository(repoName).setRef(branchRef()).setSha(revert.name()).setSecret(secret).call();
            r = git.runWithPushOption(workDir, args, PushCredentials.TOKEN_OPTION + token.token());
        } else {
            r = git.run(workDir, args);
        }
        java.time.Instant at = clock.instant();
        if (r.exit() == 0) {
            forget(reverted);
            git.run(workDir, List.of("update-ref", trackingRef(), revert.name()));
            return new Result(status, revert.name(), tip.name(), null, List.of(), attempt, at,
                    revert.getFullMessage(), List.of(), null);
        }
        if (r.output().contains("[rejected]")) {
            return null; // someone pushed in between: fetch and revert on their tip
        }
        List<String> remoteLines = r.output().lines().filter(l -> l.startsWith("remote:")).toList();
        return new Result(Status.PUSH_FAILED, revert.name(), tip.name(), pushFailure(r.output(), remoteLines),
                List.of(), attempt, null, null, remoteLines, null);
    }

    /**
     * One line on why the push failed: the gate's own reason when it gave one, and for a token minted for another
     * repository name, the setting that fixes it.
     */
    private static String pushFailure(String output, List<String> remoteLines) {
        Matcher wrong = WRONG_REPOSITORY.matcher(output);
        if (wrong.find()) {
            return "the push gate refused the revert: the token was minted for repository '" + wrong.group(1)
                    + "' and the gate expects '" + wrong.group(2) + "': set the setting repoName to " + wrong.group(2);
        }
        String why = remoteLines.stream().filter(l -> l.contains("why:")).findFirst()
                .map(l -> l.substring(l.indexOf("why:") + 4).strip()).orElse(null);
        String rejected = output.lines().filter(l -> l.contains("[remote rejected]") || l.contains("error:"))
                .findFirst().map(String::strip).orElse(lastLines(output));
        return "git push failed: " + (why != null ? "the push gate refused it: " + why : rejected)
                + (remoteLines.isEmpty() ? "" : " (" + remoteLines.size() + " remote: line"
                + (remoteLines.size() == 1 ? "" : "s") + " below)");
    }

    private void fetch(GitCli git) throws GatekeeperException, IOException, InterruptedException {
        GitCli.Result r = git.run(workDir, List.of("fetch", "-q", "--no-tags", remote, "+" + branchRef() + ":" + trackingRef()));
        if (r.exit() != 0) {
            throw new GatekeeperException(dev.gatekeeper.ExitCode.ACTION_FAILED, "cannot fetch " + branch + " from "
                    + remote + ": " + lastLines(r.output()));
        }
    }

    private void record(RevCommit target, ObjectId revert) throws IOException {
        RefUpdate u = repo.updateRef(PENDING_PREFIX + target.name());
        u.setNewObjectId(revert);
        u.setForceUpdate(true); // our private bookkeeping ref; the user's refs are never forced
        u.setRefLogMessage("gatekeeper: revert of " + target.name() + " not pushed yet", false);
        RefUpdate.Result res = u.update();
        if (res != RefUpdate.Result.NEW && res != RefUpdate.Result.FORCED && res != RefUpdate.Result.NO_CHANGE
                && res != RefUpdate.Result.FAST_FORWARD) {
            throw new IOException("cannot record the revert under " + u.getName() + ": " + res);
        }
    }

    private void forget(ObjectId target) throws IOException {
        if (repo.exactRef(PENDING_PREFIX + target.name()) == null) {
            return;
        }
        RefUpdate u = repo.updateRef(PENDING_PREFIX + target.name());
        u.setForceUpdate(true);
        RefUpdate.Result res = u.delete();
        if (res != RefUpdate.Result.FORCED && res != RefUpdate.Result.NO_CHANGE && res != RefUpdate.Result.NEW) {
            warn.accept("could not remove " + u.getName() + ": " + res);
        }
    }

    private String message(RevCommit target) {
        boolean merge = target.getParentCount() > 1;
        return "Auto-revert: " + subject + "\n\n"
                + "This reverts commit " + target.name() + (merge ? " (merge; changes relative to its first parent "
                + target.getParent(0).name() + ")" : "") + ":\n"
                + "  " + target.getShortMessage() + "\n\n"
                + "The health probes failed after it reached " + branch + "; Gatekeeper reverted it automatically.\n\n"
                + RevertHistory.TRAILER + ": " + target.name() + "\n"
                + RevertHistory.EVENT_TRAILER + ": " + eventId + "\n";
    }

    /**
     * Who the revert is by, as git would pick it: {@code $GIT_COMMITTER_NAME}/{@code EMAIL}, else the clone's
     * {@code user.name}/{@code user.email}, else "Gatekeeper". Never the OS account name guessed by JGit: a revert
     * must say it was automatic.
     */
    public static PersonIdent identity(Map<String, String> env, Repository repo) {
        String name = env.get("GIT_COMMITTER_NAME");
        String email = env.get("GIT_COMMITTER_EMAIL");
        if (name == null || name.isBlank()) {
            name = repo.getConfig().getString("user", null, "name");
        }
        if (email == null || email.isBlank()) {
            email = repo.getConfig().getString("user", null, "email");
        }
        return new PersonIdent(name == null || name.isBlank() ? "Gatekeeper" : name,
                email == null || email.isBlank() ? "gatekeeper@localhost" : email);
    }

    private Result result(Status s, String revert, String tip, String reason, int attempt) {
        return new Result(s, revert, tip, reason, List.of(), attempt, null, null, List.of(), null);
    }


    static String abbrev(ObjectId id) {
        return id.name().substring(0, 7);
    }

    private static String lastLines(String s) {
        String[] lines = s.strip().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
            if (!lines[i].startsWith("To ") && !lines[i].equals("Done")) {
                sb.append(sb.length() == 0 ? "" : " | ").append(lines[i].strip());
            }
        }
        return sb.toString();
    }
}
