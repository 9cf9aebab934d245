package hudson;

import hudson.remoting.VirtualChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/**
 * Stub of Jenkins core's FilePath, local files only. act() serializes and deserializes the callable before invoking
 * it, as sending it to an agent over remoting would: a callable that drags a non-serializable field fails here too.
 */
public final class FilePath implements SerializableOnlyOverRemoting {
    private static final long serialVersionUID = 1L;

    private final String remote;

    public FilePath(File localPath) {
        this.remote = localPath.getPath();
    }

    public FilePath(VirtualChannel channel, String remote) {
        this.remote = remote;
    }

    public FilePath(FilePath base, String rel) {
        this.remote = new File(base.remote, rel).getPath();
    }

    public String getRemote() {
        return remote;
    }

    /** Jenkins returns its local channel for a local file; the stub has no channel at all. */
    public VirtualChannel getChannel() {
        return null;
    }

    public FilePath child(String relOrAbsolute) {
        File f = new File(relOrAbsolute);
        return f.isAbsolute() ? new FilePath(f) : new FilePath(this, relOrAbsolute);
    }

    public boolean exists() throws IOException, InterruptedException {
        return new File(remote).exists();
    }

    /**
     * Runs the callable "on the agent": on a copy that went through Java serialization, as remoting sends it, and
     * with a null channel. (Jenkins itself skips serialization for a local FilePath; the stub does not, so a
     * non-serializable callable fails in unit tests as it would on a real agent.)
     */
    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        FileCallable<T> copy = roundTrip(callable);
        return copy.invoke(new File(remote), null);
    }

    /** The copy that would arrive on the agent. */
    @SuppressWarnings("unchecked")
    private static <T> FileCallable<T> roundTrip(FileCallable<T> callable) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(callable);
        } catch (NotSerializableException e) {
            throw new IOException("Failed to serialize " + callable.getClass().getName() + " for remoting: " + e.getMessage(), e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (FileCallable<T>) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    @Override
    public String toString() {
        return remote;
    }

    /** Code run where the file is (on the agent). */
    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
