package io.regmgr.runtime.client;

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
