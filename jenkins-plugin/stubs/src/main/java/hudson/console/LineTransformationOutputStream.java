package hudson.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Stub of Jenkins core's LineTransformationOutputStream: buffers bytes by line and hands each whole line, with its
 * end-of-line bytes, to {@link #eol(byte[], int)}. A line ends after {@code \n}, or after a {@code \r} not followed
 * by {@code \n}; a last line without one is handed over by {@link #forceEol()} or {@link #close()}, as in Jenkins.
 */
public abstract class LineTransformationOutputStream extends OutputStream {
    private boolean sawCR;
    private Buffer buf = new Buffer();

    /**
     * Called for each line.
     *
     * @param b   the whole line, including the EOL bytes
     * @param len how many bytes of {@code b} are valid
     */
    protected abstract void eol(byte[] b, int len) throws IOException;

    @Override
    public void write(int b) throws IOException {
        if (sawCR && b != '\n') {
            eol();
        }
        buf.write(b);
        if (b == '\n') {
            eol();
        } else if (b == '\r') {
            sawCR = true;
        }
    }

    private void eol() throws IOException {
        eol(buf.bytes(), buf.size());
        if (buf.size() > 4096) {
            buf = new Buffer();
        } else {
            buf.reset();
        }
        sawCR = false;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public void close() throws IOException {
        forceEol();
    }

    /** Hands a pending partial line to eol, without flushing or closing. */
    public void forceEol() throws IOException {
        if (buf.size() > 0) {
            eol();
        }
    }

    /** Decorates an underlying stream: flush and close reach {@link #out}. */
    public abstract static class Delegating extends LineTransformationOutputStream {

        protected final OutputStream out;

        protected Delegating(OutputStream out) {
            this.out = out;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            super.close();
            out.close();
        }
    }

    /** Jenkins uses its ByteArrayOutputStream2 (direct access to the buffer); this stub's own equivalent. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] bytes() {
            return buf;
        }
    }
}
