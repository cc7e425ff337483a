package io.regmgr.runtime.client;

import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately misbehaving TCP server for client tests: each accepted connection runs a
 * {@link Behavior} on its own thread. Loopback, port chosen by the OS.
 */
final class ScriptedServer implements AutoCloseable {
    /** What the server does with one connection. */
    @FunctionalInterface
    interface Behavior {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final Behavior behavior;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    ScriptedServer(Behavior behavior) {
        this.behavior = behavior;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = new Thread(this::acceptLoop, "scripted-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes each connection as soon as it is accepted. */
    static Behavior closeAtOnce() {
        return Socket::close;
    }

    /** Reads and discards everything, never answering. */
    static Behavior neverAnswer() {
        return s -> drain(s.getInputStream());
    }

    /** Writes {@code bytes} as soon as the connection opens, then reads and discards. */
    static Behavior send(byte[] bytes) {
        return s -> {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            drain(s.getInputStream());
        };
    }

    /** Waits for the first {@code requestBytes} bytes, answers {@code reply}, then reads and discards. */
    static Behavior answer(int requestBytes, byte[] reply) {
        return s -> {
            s.getInputStream().readNBytes(requestBytes);
            s.getOutputStream().write(reply);
            s.getOutputStream().flush();
            drain(s.getInputStream());
        };
    }

    /** Writes {@code chunk} over and over until the client goes away. */
    static Behavior sendForever(byte[] chunk) {
        return s -> {
            OutputStream out = s.getOutputStream();
            while (true) {
                out.write(chunk);
            }
        };
    }

    /**
     * Speaks 9P: reads whole frames, decodes each with {@link StyxCodec} and hands the message to
     * {@code script}, which answers (or not) through a {@link StyxOut}. Ends when the client closes.
     */
    static Behavior styx(StyxScript script) {
        return s -> {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            StyxOut out = new StyxOut(s.getOutputStream());
            while (true) {
                byte[] size = in.readNBytes(4);
                if (size.length < 4) {
                    return;
                }
                int n = (size[0] & 0xff) | (size[1] & 0xff) << 8 | (size[2] & 0xff) << 16 | (size[3] & 0xff) << 24;
                byte[] frame = new byte[n];
                System.arraycopy(size, 0, frame, 0, 4);
                if (in.readNBytes(frame, 4, n - 4) < n - 4) {
                    return;
                }
                script.onMessage(StyxCodec.decode(frame), out);
            }
        };
    }

    /** Reads up to the first newline, answers {@code reply} and closes, as a bridge's find port does. */
    static Behavior answerLineAndClose(byte[] reply) {
        return s -> {
            InputStream in = s.getInputStream();
            int b;
            do {
                b = in.read();
            } while (b >= 0 && b != '\n');
            s.getOutputStream().write(reply);
            s.getOutputStream().flush();
        };
    }

    /** Answers the 9P messages of one connection, on that connection's thread. */
    @FunctionalInterface
    interface StyxScript {
        void onMessage(StyxMessage request, StyxOut out) throws IOException;
    }

    /** Where a {@link StyxScript} writes: whole messages or raw bytes. Thread-safe. */
    static final class StyxOut {
        private final OutputStream out;

        StyxOut(OutputStream out) {
            this.out = out;
        }

        /** Writes one encoded message. */
        synchronized void reply(StyxMessage m) throws IOException {
            raw(StyxCodec.encode(m));
        }

        /** Writes raw bytes. */
        synchronized void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far */
    int accepted() {
        return accepted.get();
    }

    /** @return connections the client has not closed yet */
    int openConnections() {
        open.removeIf(Socket::isClosed);
        return open.size();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> run(s), "scripted-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void run(Socket s) {
        try (s) {
            behavior.serve(s);
        } catch (IOException e) {
            // the client went away: that is what most scripts wait for
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
