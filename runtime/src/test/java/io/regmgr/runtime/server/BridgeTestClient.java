package io.regmgr.runtime.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A small blocking client for the registry's line bridge (spec section 2) in network tests: one
 * socket to 127.0.0.1, lines out, lines or end of stream in.
 *
 * <p>Every blocking call gives up after {@value #TIMEOUT_MILLIS} ms. I/O failures are thrown as
 * {@link UncheckedIOException}, except where a method says the server may cut the connection. Not
 * thread-safe: one test thread per client. {@link #close()} closes the socket.
 */
final class BridgeTestClient implements AutoCloseable {

    /** Connect and read timeout, in milliseconds. */
    static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private BridgeTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * @param port a TCP port on 127.0.0.1
     * @return a client connected to it
     */
    static BridgeTestClient connect(int port) {
        return connect(port, 0);
    }

    /**
     * @param port a TCP port on 127.0.0.1
     * @param receiveBufferBytes SO_RCVBUF to set before connecting (which also turns off the
     *     kernel's receive-buffer autotuning), or 0 for the system's default
     * @return a client connected to it
     */
    static BridgeTestClient connect(int port, int receiveBufferBytes) {
        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                    TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            return new BridgeTestClient(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** @param line sent as UTF-8 followed by a newline */
    void sendLine(String line) {
        send(line + "\n");
    }

    /** @param text sent as UTF-8, exactly as given */
    void send(String text) {
        if (!trySend(text.getBytes(StandardCharsets.UTF_8))) {
            throw new UncheckedIOException(new IOException("connection cut while sending " + text.length()
                    + " characters"));
        }
    }

    /**
     * Sends bytes to a server that may cut the connection while they are on their way (e.g. on a
     * line that is too long).
     *
     * @param bytes sent as they are
     * @return false if the server closed or reset the connection before all were sent
     */
    boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads one line.
     *
     * @return the line without its newline (a carriage return stays), or null at end of stream
     *     with no partial line pending
     * @throws UncheckedIOException on timeout or an I/O failure
     * @throws IllegalStateException if the stream ends in the middle of a line
     */
    String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b == -1) {
                    if (line.size() == 0) {
                        return null;
                    }
                    throw new IllegalStateException("stream ended inside a line: " + line.toString(StandardCharsets.UTF_8));
                }
                line.write(b);
            }
            return line.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a line", e);
        }
    }

    /**
     * Reads until the server closes the connection.
     *
     * @return everything read, as UTF-8 (empty if the server closed without writing)
     * @throws UncheckedIOException on timeout; a reset counts as the end
     */
    String readToEnd() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("the server did not close within " + TIMEOUT_MILLIS + " ms; read so far: "
                    + all.toString(StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            // a reset: the server dropped the connection with our unread bytes in its buffer
            return all.toString(StandardCharsets.UTF_8);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** Closes the socket; never throws. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do: the test is finished with this connection
        }
    }
}
