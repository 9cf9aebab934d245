package dev.gatekeeper.verify;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * Any git transport JGit speaks (git://, smart HTTP, ssh, file://), asking for one ref only.
 *
 * <p>With protocol v2 the ref advertisement is a request: JGit's {@code openFetch(refSpecs)} sends
 * {@code ls-refs} with one {@code ref-prefix} per spec ({@code BasePackConnection.getRefPrefixes}), so the server
 * answers with the branch we ask about instead of all of its refs, which matters for repositories with hundreds
 * of thousands of refs. JGit picks v2 when {@code protocol.version} is unset; we set it explicitly (in memory, on
 * the config the transport reads) unless the user chose a version, so a v0-only server still works for them.
 *
 * <p>{@code contains} needs history: it fetches the tip's objects into the working clone when they are missing,
 * through the same connection's low-level fetch, so no ref and no FETCH_HEAD change. Without a working clone an
 * in-memory repository takes them (fine for a branch's history, slow for a huge one).
 */
public final class GitTransportRefReader implements RefReader {
    private final Repository local;
    private final boolean ownsLocal;
    private final URIish uri;
    private final CredentialsProvider credentials;
    private final int timeoutSeconds;
    private final String display;
    private final Map<String, String> env;
    private volatile String lastRef;

    /**
     * @param local          the working clone (its http.*, ssh and protocol settings apply), or null
     * @param credentials    for smart HTTP (a token), or null
     * @param timeoutSeconds socket timeout for one read; verify-push also bounds each read as a whole
     * @param env            the environment ({@code GIT_SSH_COMMAND}, {@code GIT_SSH})
     */
    public GitTransportRefReader(Repository local, URIish uri, CredentialsProvider credentials, int timeoutSeconds,
                                 String display, Map<String, String> env) {
        this.ownsLocal = local == null;
        this.local = local != null ? local : new InMemoryRepository(new DfsRepositoryDescription("verify-push"));
        this.uri = uri;
        this.credentials = credentials;
        this.timeoutSeconds = timeoutSeconds;
        this.display = display;
        this.env = env;
        preferProtocolV2(this.local.getConfig());
    }

    static void preferProtocolV2(StoredConfig config) {
        if (config.getString("protocol", null, "version") == null) {
            config.setString("protocol", null, "version", "2");
        }
    }

    @Override
    public Optional<String> tip(String ref) throws RemoteReadException {
        lastRef = ref;
        try (Transport t = open(); FetchConnection c = t.openFetch(List.of(new RefSpec(ref)))) {
            return Optional.ofNullable(c.getRef(ref)).map(GitTransportRefReader::idOf);
        } catch (TransportException | NotSupportedException e) {
            throw classify(e);
        }
    }

    @Override
    public boolean contains(String tip, String commit) throws RemoteReadException {
        try {
            ObjectId tipId = ObjectId.fromString(tip);
            if (!local.getObjectDatabase().has(tipId)) {
                fetchHistoryOf(tipId);
            }
            try (RevWalk walk = new RevWalk(local)) {
                RevCommit t = walk.parseCommit(tipId);
                RevCommit c;
                try {
                    c = walk.parseCommit(ObjectId.fromString(commit));
                } catch (MissingObjectException e) {
                    return false; // the remote's history (now all here) does not have it
                }
                return walk.isMergedInto(c, t);
            }
        } catch (TransportException | NotSupportedException e) {
            throw classify(e);
        } catch (IOException | IllegalArgumentException e) {
            throw new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, "cannot walk the history of " + tip
                    + ": " + e.getMessage(), e);
        }
    }

    /** Fetches the objects of the ref last read; refs, FETCH_HEAD and reflogs stay untouched. */
    private void fetchHistoryOf(ObjectId tipId) throws IOException, RemoteReadException {
        String ref = lastRef;
        try (Transport t = open(); FetchConnection c = t.openFetch(List.of(new RefSpec(ref)))) {
            Ref want = c.getRef(ref);
            if (want != null) {
                c.fetch(NullProgressMonitor.INSTANCE, List.of(want), Set.of());
            }
        }
        if (!local.getObjectDatabase().has(tipId)) {
            // the branch was rewritten or deleted between the two reads; the next attempt reads it afresh
            throw new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, ref + " changed while its history "
                    + "was being read");
        }
    }

    private Transport open() throws NotSupportedException, TransportException {
        Transport t = Transport.open(local, uri);
        t.setTimeout(timeoutSeconds);
        if (credentials != null) {
            t.setCredentialsProvider(credentials);
        }
        if (t instanceof SshTransport ssh && env.get("GIT_SSH") == null) {
            ssh.setSshSessionFactory(new ExternalSshSessionFactory(env));
        }
        return t;
    }

    private static String idOf(Ref r) {
        ObjectId peeled = r.getPeeledObjectId();
        return (peeled != null ? peeled : r.getObjectId()).name();
    }

    /** What ssh(1) and the JDK say when no server answered at all (lower case). */
    private static final List<String> NOT_CONNECTED = List.of("ssh: connect to host", "ssh: could not resolve hostname",
            "connection refused", "connection reset", "connection closed by", "kex_exchange_identification",
            "no route to host", "network is unreachable");

    /** JGit reports most failures as TransportException with a message; sort them into what a retry can fix. */
    RemoteReadException classify(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String m = message.toLowerCase(Locale.ROOT);
        RemoteReadException.Kind kind;
        if (NOT_CONNECTED.stream().anyMatch(m::contains)) {
            // checked first: JGit reports ssh's failure to connect as NoRemoteRepositoryException (the stream ended
            // before any ref), and a server that is down or restarting must be read again, not given up on at once
            kind = m.contains("timed out") ? RemoteReadException.Kind.TIMED_OUT : RemoteReadException.Kind.UNREACHABLE;
        } else if (e instanceof NoRemoteRepositoryException || m.contains("not found") || m.contains("does not appear to be a git repository")
                || m.contains("not exported") || m.contains("no such repository")) {
            kind = RemoteReadException.Kind.NO_REPOSITORY;
        } else if (m.contains("not authorized") || m.contains("authentication") || m.contains("auth fail")
                || m.contains("permission denied") || m.contains("403") || m.contains("401")
                || m.contains("host key verification failed")) {
            kind = RemoteReadException.Kind.AUTH_FAILED;
        } else if (m.contains("timed out") || m.contains("timeout")) {
            kind = RemoteReadException.Kind.TIMED_OUT;
        } else {
            kind = RemoteReadException.Kind.UNREACHABLE;
        }
        Throwable cause = e.getCause();
        String detail = cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())
                ? message + " (" + cause.getMessage() + ")" : message;
        return new RemoteReadException(kind, detail.replace(uri.toString(), display).strip(), e);
    }

    @Override
    public String kind() {
        return "git";
    }

    @Override
    public String describe() {
        return display;
    }

    @Override
    public void close() {
        if (ownsLocal) {
            local.close();
        }
    }
}
