package dev.gatekeeper.jenkins.stubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.file.Path;
import jenkins.MasterToSlaveFileCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stub FilePath#act behaves like remoting: the callable crosses a serialization boundary. */
class FilePathActTest {

    @TempDir
    Path dir;

    /** Holds a field that cannot be serialized, as a callable that captured a TaskListener-less logger would. */
    static final class DragsAThread extends MasterToSlaveFileCallable<String> {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Object notSerializable = new Thread();

        @Override
        public String invoke(File f, VirtualChannel channel) {
            return "must not run";
        }
    }

    /** Records the identity of the instance that runs, to show it is a copy. */
    static final class ReportsWhereItRuns extends MasterToSlaveFileCallable<String> {
        private static final long serialVersionUID = 1L;
        final String payload;

        ReportsWhereItRuns(String payload) {
            this.payload = payload;
        }

        @Override
        public String invoke(File f, VirtualChannel channel) {
            return f.getPath() + "|" + payload + "|" + System.identityHashCode(this);
        }
    }

    @Test
    void rejectsANonSerializableCallable() {
        FilePath workspace = new FilePath(dir.toFile());
        IOException e = assertThrows(IOException.class, () -> workspace.act(new DragsAThread()));
        assertTrue(e.getCause() instanceof NotSerializableException, "cause: " + e.getCause());
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }

    @Test
    void runsADeserializedCopyOnTheLocalFile() throws Exception {
        FilePath workspace = new FilePath(dir.toFile());
        ReportsWhereItRuns original = new ReportsWhereItRuns("hello");
        String[] parts = workspace.act(original).split("\\|");
        assertEquals(dir.toFile().getPath(), parts[0]);
        assertEquals("hello", parts[1]);
        assertTrue(!String.valueOf(System.identityHashCode(original)).equals(parts[2]), "ran on the original instance");
    }

    @Test
    void childAndExists() throws Exception {
        FilePath workspace = new FilePath(dir.toFile());
        assertTrue(workspace.exists());
        FilePath missing = workspace.child("nope");
        assertEquals(new File(dir.toFile(), "nope").getPath(), missing.getRemote());
        assertTrue(!missing.exists());
    }
}
