package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryException;
import io.regmgr.RegistryTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.time.Duration;

/**
 * The connection to the bridge's {@code event} port, which carries a session: it waits for
 * {@code READY\n} (within the request timeout), then turns each version line into
 * {@link Events#changed}. When it ends for any reason other than {@link #close()},
 * {@link Events#lost} is called once. What the bridge expects from us: nothing (it discards
 * input), so nothing is ever written.
 *
 * <p>Confined to the connector's context.
 */
final class BridgeEventConnection implements BridgeEventLines.Sink {
    /** What the connection reports, on the connector's context. */
    interface Events {
        /** {@code READY\n} arrived: the bridge watches the registry from now on. */
        void ready();

        /** The registry's version line arrived. */
        void changed(long version);

        /** The connection ended or broke the protocol; it is closed. Called at most once. */
        void lost(RegistryException cause);
    }

    private final BridgeTransport transport;
    private final Events events;
    private final BridgeEventLines lines;
    private NetSocket socket;
    private long readyTimer = -1;
    private boolean ended;

    BridgeEventConnection(BridgeTransport transport, Events events) {
        this.transport = transport;
        this.events = events;
        this.lines = new BridgeEventLines("event port " + transport.eventPort(), this);
    }

    /** Connects and waits for {@code READY\n}; the outcome is reported to {@link Events}. */
    void open() {
        transport.connect(transport.eventPort(), "event").onComplete(ar -> {
            if (ar.failed()) {
                end((RegistryException) ar.cause());
            } else if (ended) {
                ar.result().close();
            } else {
                attach(ar.result());
            }
        });
    }

    private void attach(NetSocket s) {
        socket = s;
        Duration timeout = transport.options().requestTimeout();
        readyTimer = transport.setTimer(timeout, () -> end(new RegistryTimeoutException(
                "waiting for READY\\n on the line bridge's event port " + transport.eventPort(), timeout)));
        s.handler(this::onData);
        s.closeHandler(v -> end(new RegistryConnectionException(transport.eventPort().toString(),
                lines.isReady() ? "the line bridge closed the event connection"
                        : "the line bridge closed the event connection before READY", null)));
        s.exceptionHandler(e -> end(new RegistryConnectionException(transport.eventPort().toString(),
                "event connection failed: " + e.getMessage(), e)));
    }

    private void onData(Buffer data) {
        if (ended) {
            return;
        }
        try {
            lines.feed(data.getBytes());
        } catch (ProtocolViolationException e) {
            end(e);
        }
    }

    @Override
    public void ready() {
        transport.cancelTimer(readyTimer);
        events.ready();
    }

    @Override
    public void version(long version) {
        if (!ended) {
            events.changed(version);
        }
    }

    /** Closes the connection without reporting {@link Events#lost}. Idempotent. */
    Future<Void> close() {
        boolean first = !ended;
        ended = true;
        transport.cancelTimer(readyTimer);
        if (socket == null || !first) {
            return Future.succeededFuture();
        }
        return socket.close();
    }

    private void end(RegistryException cause) {
        if (ended) {
            return;
        }
        ended = true;
        transport.cancelTimer(readyTimer);
        if (socket != null) {
            socket.close();
        }
        events.lost(cause);
    }
}
