package dev.gatekeeper.stabilize;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A TCP connect. A refused connection is a FAILURE ("is something listening" is exactly what this probe measures;
 * {@link HttpProbe} judges it the same way). A timeout or an unreachable network stays an ERROR (a firewall
 * dropping packets says nothing about the service).
 */
public final class TcpProbe implements Probe {
    private final String host;
    private final int port;
    private final Duration timeout;

    public TcpProbe(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public Measurement measure() {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return Measurement.ok("connected", HttpProbe.millis(start));
        } catch (ConnectException e) {
            if (!HttpProbe.refused(e)) {
                return Measurement.error("cannot connect: " + e.getMessage(), HttpProbe.millis(start));
            }
            return Measurement.failure("connection refused", HttpProbe.millis(start));
        } catch (SocketTimeoutException e) {
            return Measurement.error("timed out", HttpProbe.millis(start));
        } catch (IOException e) {
            return Measurement.error(e.getClass().getSimpleName() + ": " + e.getMessage(), HttpProbe.millis(start));
        }
    }

    @Override
    public String name() {
        return "tcp " + host + ":" + port;
    }
}
