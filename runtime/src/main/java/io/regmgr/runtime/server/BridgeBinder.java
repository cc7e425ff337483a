package io.regmgr.runtime.server;

import io.regmgr.runtime.protocol.DialAddress;
import io.vertx.core.Future;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Binds the line bridge's three ports ({@code new}, {@code find}, {@code event}). A fixed first
 * port takes it and the next two, as the Perl module's bridge does; port 0 looks for three
 * consecutive free ports (so that clients configured with one first port work in tests too) and
 * falls back to any three free ports.
 */
final class BridgeBinder {
    /** Tries for consecutive ephemeral ports before settling for any three. */
    private static final int CONSECUTIVE_ATTEMPTS = 20;

    /** Binds one listener on the registry's context. */
    interface Listener {
        Future<NetServer> listen(DialAddress at, BiConsumer<NetSocket, Runnable> handler);
    }

    private final Listener listener;
    private final List<BiConsumer<NetSocket, Runnable>> handlers;

    BridgeBinder(Listener listener, BridgeConnections bridge) {
        this.listener = listener;
        this.handlers = List.of(bridge::acceptNew, bridge::acceptFind, bridge::acceptEvent);
    }

    /**
     * @param first the configured {@code new} address
     * @param previous the ports of an earlier start, to bind again, or null
     * @return the three bound ports
     */
    Future<int[]> bind(DialAddress first, int[] previous) {
        if (previous != null) {
            return bindAt(first, previous);
        }
        if (first.port() != 0) {
            return bindAt(first, new int[] {first.port(), first.port() + 1, first.port() + 2});
        }
        return bindConsecutive(first, CONSECUTIVE_ATTEMPTS);
    }

    private Future<int[]> bindAt(DialAddress host, int[] ports) {
        Future<NetServer> n = listener.listen(new DialAddress(host.host(), ports[0]), handlers.get(0));
        Future<NetServer> f = listener.listen(new DialAddress(host.host(), ports[1]), handlers.get(1));
        Future<NetServer> e = listener.listen(new DialAddress(host.host(), ports[2]), handlers.get(2));
        return Future.all(n, f, e).map(all -> new int[] {
            n.result().actualPort(), f.result().actualPort(), e.result().actualPort()});
    }

    private Future<int[]> bindConsecutive(DialAddress host, int attemptsLeft) {
        if (attemptsLeft == 0) {
            return bindAt(host, new int[] {0, 0, 0});
        }
        return listener.listen(host, handlers.get(0)).compose(newServer -> {
            int p = newServer.actualPort();
            if (p > 65533) {
                return newServer.close().compose(v -> bindConsecutive(host, attemptsLeft - 1));
            }
            Future<NetServer> f = listener.listen(new DialAddress(host.host(), p + 1), handlers.get(1));
            Future<NetServer> e = listener.listen(new DialAddress(host.host(), p + 2), handlers.get(2));
            return Future.all(f, e).map(all -> new int[] {p, p + 1, p + 2}).recover(failure -> Future
                    .join(newServer.close(), close(f), close(e))
                    .transform(ignored -> bindConsecutive(host, attemptsLeft - 1)));
        });
    }

    private static Future<Void> close(Future<NetServer> server) {
        return server.succeeded() ? server.result().close() : Future.succeededFuture();
    }
}
