package io.regmgr.runtime.client;

import io.regmgr.runtime.protocol.StyxFrameReader;
import io.regmgr.runtime.protocol.StyxMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a loopback port chosen by the OS in front of a real registry's 9P port, for one
 * client connection, that can hold the registry's answers: while held, every byte from the
 * registry waits here, so a client that waits for an answer before its next request cannot send
 * it. A test holds, starts an operation, waits until the requests it expects have reached the
 * proxy, then releases: the requests that arrived while held went out in one round trip. Every
 * T-message the client sent is recorded, decoded, in order. Runs on the test's Vert.x; controls
 * may be called from any thread.
 */
final class HoldingProxy implements AutoCloseable {
    private final NetServer server;
    private final NetClient net;
    private final int targetPort;
    private final List<StyxMessage> sent = new CopyOnWriteArrayList<>();
    private final List<Buffer> held = new ArrayList<>();
    private volatile NetSocket toClient;
    private volatile NetSocket toRegistry;
    private volatile Context registryContext;
    private boolean holding;

    private HoldingProxy(Vertx vertx, int targetPort) {
        this.targetPort = targetPort;
        this.net = vertx.createNetClient();
        this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
        server.connectHandler(this::accept);
    }

    /** @return a listening proxy to the registry's 9P port {@code targetPort} on 127.0.0.1 */
    static HoldingProxy start(Vertx vertx, int targetPort) {
        HoldingProxy p = new HoldingProxy(vertx, targetPort);
        Stages.join(p.server.listen().toCompletionStage());
        return p;
    }

    /** @return the port the client connects to */
    int port() {
        return server.actualPort();
    }

    /** Holds every later byte from the registry until {@link #release()}. */
    synchronized void hold() {
        holding = true;
    }

    /** Forwards what was held, in order, and stops holding; returns once done. */
    void release() {
        Context c = registryContext;
        if (c == null) {
            synchronized (this) {
                holding = false;
            }
            return;
        }
        // on the context the registry's bytes arrive on, so none overtakes the held ones; waited for,
        // so that a hold() right after this cannot be undone by it
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        c.runOnContext(v -> {
            List<Buffer> out;
            synchronized (this) {
                holding = false;
                out = new ArrayList<>(held);
                held.clear();
            }
            out.forEach(toClient::write);
            done.complete(null);
        });
        Stages.join(done);
    }

    /** @return the T-messages the client sent so far, in order */
    List<StyxMessage> sent() {
        return List.copyOf(sent);
    }

    private void accept(NetSocket client) {
        client.pause();
        net.connect(targetPort, "127.0.0.1").onSuccess(registry -> {
            toClient = client;
            toRegistry = registry;
            registryContext = Vertx.currentContext();
            StyxFrameReader frames = new StyxFrameReader(65_560, sent::add);
            client.handler(buf -> {
                byte[] b = buf.getBytes();
                frames.feed(b, 0, b.length);
                registry.write(buf);
            });
            registry.handler(this::fromRegistry);
            client.closeHandler(v -> registry.close());
            registry.closeHandler(v -> client.close());
            client.resume();
        }).onFailure(e -> client.close());
    }

    private void fromRegistry(Buffer buf) {
        synchronized (this) {
            if (holding) {
                held.add(buf);
                return;
            }
        }
        toClient.write(buf);
    }

    @Override
    public void close() {
        NetSocket c = toClient;
        NetSocket r = toRegistry;
        if (c != null) {
            c.close();
        }
        if (r != null) {
            r.close();
        }
        Stages.join(server.close().toCompletionStage());
        Stages.join(net.close().toCompletionStage());
    }
}
