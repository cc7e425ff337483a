package io.regmgr.runtime.core;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on a loopback port chosen by the OS, between a client and one registry port, that
 * misbehaves on demand: cut every connection, cut only the client side (the registry keeps its
 * side open, so it has not noticed), stop forwarding without closing (half-open), delay every
 * byte, refuse new connections. Runs on its own Vert.x context; controls may be called from any
 * thread and take effect at once for new traffic. It also keeps every byte the clients sent, in the
 * order it forwarded them ({@link #sentByClients()}), for tests of what went on the wire.
 */
final class FaultProxy implements AutoCloseable {
    private final Vertx vertx;
    private final NetServer server;
    private final NetClient client;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Set<NetSocket> strandedRegistrySides = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private volatile boolean blackhole;
    private volatile long delayMillis;
    private final java.io.ByteArrayOutputStream fromClients = new java.io.ByteArrayOutputStream();

    private FaultProxy(Vertx vertx, int targetPort) {
        this.vertx = vertx;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient();
        this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
        server.connectHandler(this::accept);
    }

    /**
     * @param vertx where to run
     * @param targetPort the registry port on 127.0.0.1 to forward to
     * @return a listening proxy
     */
    static FaultProxy start(Vertx vertx, int targetPort) {
        FaultProxy p = new FaultProxy(vertx, targetPort);
        join(p.server.listen());
        return p;
    }

    /** @return the port clients connect to */
    int port() {
        return server.actualPort();
    }

    /** @param on whether new connections are closed at once (the registry looks down) */
    void refuse(boolean on) {
        refusing = on;
    }

    /** @param on whether bytes are dropped in both directions, connections left open (half-open) */
    void blackhole(boolean on) {
        blackhole = on;
    }

    /** @param delay added to every chunk, in both directions (order kept) */
    void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    /**
     * Closes every connection, both sides: the registry notices at once. Forwarding stops first
     * (see {@link #stopForwarding()}), so nothing the registry sends once it noticed reaches the client.
     */
    void cutAll() {
        stopForwarding();
        for (Link l : List.copyOf(links)) {
            l.client.close();
            l.upstream.close();
        }
    }

    /**
     * Stops forwarding on every open connection, both ways, at once, leaving them open (new
     * connections are forwarded): what a cut does before its closes are noticed. Several proxies
     * cut together call this on each before closing any (see {@code Network.Proxies#cutAll}), so
     * that no proxy still forwards the registry's reaction to another proxy's cut.
     */
    void stopForwarding() {
        for (Link l : List.copyOf(links)) {
            l.cut = true;
        }
    }

    /**
     * Closes the client side of every connection and keeps the registry side open: the client
     * sees its connection die, the registry has not noticed (its services stay) until
     * {@link #releaseRegistrySides()}.
     */
    void cutClientSideOnly() {
        for (Link l : List.copyOf(links)) {
            l.stranded = true;
            strandedRegistrySides.add(l.upstream);
            l.client.close();
        }
    }

    /** Closes the registry sides kept open by {@link #cutClientSideOnly()}: now the registry notices. */
    void releaseRegistrySides() {
        for (NetSocket s : List.copyOf(strandedRegistrySides)) {
            s.close();
        }
        strandedRegistrySides.clear();
    }

    /** @return every byte the clients sent through the proxy so far, all connections in order of arrival */
    byte[] sentByClients() {
        synchronized (fromClients) {
            return fromClients.toByteArray();
        }
    }

    /** @return connections open through the proxy */
    int openLinks() {
        return links.size();
    }

    private void accept(NetSocket downstream) {
        if (refusing) {
            downstream.close();
            return;
        }
        downstream.pause();
        client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                downstream.close();
                return;
            }
            Link link = new Link(downstream, ar.result());
            links.add(link);
            link.wire();
            downstream.resume();
        });
    }

    @Override
    public void close() {
        cutAll();
        releaseRegistrySides();
        join(server.close());
        join(client.close());
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("proxy operation failed", e);
        }
    }

    /** One proxied connection: the client's socket and the registry's. */
    private final class Link {
        final NetSocket client;
        final NetSocket upstream;
        volatile boolean stranded;
        /** Forwards nothing more: being cut (see {@link #stopForwarding()}). */
        volatile boolean cut;
        private volatile long lastDueUp;
        private volatile long lastDueDown;

        Link(NetSocket client, NetSocket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void wire() {
            client.handler(buf -> {
                synchronized (fromClients) {
                    fromClients.writeBytes(buf.getBytes());
                }
                lastDueUp = forward(upstream, buf, lastDueUp);
            });
            upstream.handler(buf -> lastDueDown = forward(client, buf, lastDueDown));
            client.closeHandler(v -> {
                links.remove(this);
                if (!stranded) {
                    closeAfter(upstream, lastDueUp);
                }
            });
            upstream.closeHandler(v -> {
                links.remove(this);
                strandedRegistrySides.remove(upstream);
                closeAfter(client, lastDueDown);
            });
        }

        /** Closes {@code socket} once the delayed bytes due before {@code due} are written. */
        private void closeAfter(NetSocket socket, long due) {
            long wait = due - System.nanoTime() / 1_000_000;
            if (wait <= 0 || blackhole) {
                socket.close();
            } else {
                vertx.setTimer(wait + 1, id -> socket.close());
            }
        }

        /** @return the time the chunk is due, so that later chunks keep the order */
        private long forward(NetSocket to, Buffer buf, long lastDue) {
            if (blackhole || stranded || cut) {
                return lastDue;
            }
            long delay = delayMillis;
            if (delay <= 0) {
                to.write(buf);
                return lastDue;
            }
            long now = System.nanoTime() / 1_000_000;
            long due = Math.max(now + delay, lastDue);
            vertx.setTimer(Math.max(1, due - now), id -> to.write(buf));
            return due;
        }
    }
}
