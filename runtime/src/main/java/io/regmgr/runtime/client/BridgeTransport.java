package io.regmgr.runtime.client;

import io.regmgr.RegistryConnectionException;
import io.regmgr.runtime.protocol.DialAddress;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every part of one {@link BridgeConnector} shares: the options, the three bridge addresses,
 * the one Vert.x context all its state lives on, and the TCP client that opens its connections.
 *
 * <p>Thread-safety: {@link #onContext} may be called from any thread; every other method must run
 * on {@link #context()} (which is where {@code onContext} puts its action).
 */
final class BridgeTransport {
    private final ConnectorOptions options;
    private final Vertx vertx;
    private final Context context;
    private final NetClient client;
    private final DialAddress newPort;
    private final DialAddress findPort;
    private final DialAddress eventPort;

    BridgeTransport(ConnectorOptions options, Vertx vertx) {
        this.options = options;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis())))
                .setTcpKeepAlive(options.tcpKeepAlive()));
        DialAddress address = options.address();
        this.newPort = address;
        this.findPort = new DialAddress(address.host(), options.bridgeFindPort());
        this.eventPort = new DialAddress(address.host(), options.bridgeEventPort());
    }

    ConnectorOptions options() {
        return options;
    }

    Context context() {
        return context;
    }

    DialAddress newPort() {
        return newPort;
    }

    DialAddress findPort() {
        return findPort;
    }

    DialAddress eventPort() {
        return eventPort;
    }

    /**
     * Runs {@code action} on this connector's context: at once when already there, else queued.
     * An exception thrown by the action fails the returned future.
     */
    <T> Future<T> onContext(Supplier<Future<T>> action) {
        if (Vertx.currentContext() == context) {
            return guarded(action);
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> guarded(action).onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result());
            } else {
                promise.fail(ar.cause());
            }
        }));
        return promise.future();
    }

    private static <T> Future<T> guarded(Supplier<Future<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Opens a TCP connection to one of the bridge's ports; on this context, so the socket's
     * handlers run here too.
     *
     * @param at the port's address
     * @param port which port, for the message: {@code new}, {@code find} or {@code event}
     * @return the socket, or a {@link RegistryConnectionException} naming the address, with the
     *     cause (e.g. {@code Connection refused})
     */
    Future<NetSocket> connect(DialAddress at, String port) {
        return client.connect(at.port(), at.host()).recover(e -> Future.failedFuture(new RegistryConnectionException(
                at.toString(), "cannot connect to the line bridge's " + port + " port: " + e.getMessage(), e)))
                .compose(socket -> SelfConnection.refuse(socket, at.toString()));
    }

    /** @return the Vert.x instance the transport runs on */
    Vertx vertx() {
        return vertx;
    }

    /** Runs {@code task} on this context after {@code delay} (at least 1 ms); returns the timer id. */
    long setTimer(Duration delay, Runnable task) {
        return vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
    }

    /** Cancels a timer from {@link #setTimer}; a negative id is ignored. */
    void cancelTimer(long id) {
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    /** Closes the TCP client (not the sockets it opened: their owners close those). */
    Future<Void> close() {
        return client.close();
    }
}
