package io.regmgr.runtime.client;

import io.regmgr.RegistryConnectionException;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reaches a registry through the line bridge ("reg2tcp"), the three TCP ports the original Perl
 * Inferno::RegMgr::TCP plugin used: {@code new} (register, update, unregister by closing),
 * {@code find} (one query per connection) and {@code event} ({@code READY\n}, then one version line
 * per change). {@link ConnectorOptions#address()} is the {@code new} port; the {@code find} and
 * {@code event} ports are {@link ConnectorOptions#bridgeFindPort()} and
 * {@link ConnectorOptions#bridgeEventPort()} (default +1 and +2). The bridge has no
 * authentication, no error replies and no remove: see {@link RegistrySession#canRemove()}.
 *
 * <pre>{@code
 * try (BridgeConnector bridge = new BridgeConnector(ConnectorOptions.builder("tcp!reghost!6701").build())) {
 *     RegistrySession session = bridge.connect(listener).toCompletableFuture().join();
 *     Registration r = session.register(ServiceEntry.of("tcp!me!80", "proto", "http"), RegistrationListener.NONE)
 *             .toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>How a registration is confirmed, although the bridge never answers, and the limits of that:
 * see {@link BridgeRegistration}. How a session detects a dead bridge: see
 * {@link BridgeRegistrySession}.
 *
 * <p>Lifecycle: usable from construction until {@link #close()}, which closes every session (their
 * listeners get {@code closed(null)}) and, if the options named no Vert.x instance, the one this
 * connector created. A closed connector refuses to connect.
 *
 * <p>Thread-safety: all methods may be called from any thread. All connections and state of one
 * connector live on one Vert.x context (an event loop), which public methods hop onto; results and
 * listener calls happen there, so callers must not block in them. That context is the one current
 * when the connector is constructed on a Vert.x thread, else a new event-loop context.
 *
 * <p>Defaults (see {@link ConnectorOptions}): connect timeout 5 s, request timeout 10 s (READY, each
 * find, each registration's confirmation), probe after 5 s of silence with a 3 s deadline, TCP
 * keepalive on, find answers up to 1 MiB, up to 16 find connections opened in advance per session
 * ({@link ConnectorOptions#bridgeFindPool()}; see {@link BridgeFindPool}).
 */
public final class BridgeConnector implements RegistryConnector {
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final BridgeTransport transport;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<BridgeRegistrySession> sessions = new LinkedHashSet<>();

    /**
     * Creates a connector; nothing is connected until {@link #connect}.
     *
     * @param options the bridge's address and ports, timeouts, probe and limits; when
     *     {@link ConnectorOptions#vertx()} is null the connector creates its own Vert.x instance
     *     and closes it in {@link #close()}
     */
    public BridgeConnector(ConnectorOptions options) {
        Objects.requireNonNull(options, "options");
        this.ownsVertx = options.vertx() == null;
        this.vertx = ownsVertx ? Vertx.vertx() : options.vertx();
        this.transport = new BridgeTransport(options, vertx);
    }

    /**
     * Opens the {@code event} port and waits for {@code READY\n}; the bridge opened the registry's
     * event file before sending it, so a find started after completion misses no change.
     *
     * <p>Fails with {@link RegistryConnectionException} when the port cannot be reached within the
     * connect timeout (naming the address, with the cause, e.g. {@code Connection refused}) or
     * closes before READY, {@link io.regmgr.RegistryTimeoutException} when READY does not arrive
     * within the request timeout once connected, {@link io.regmgr.ProtocolViolationException} when
     * anything else arrives. Once open, each version line reaches {@code listener.changed}, and a
     * malformed one ends the session with a {@code ProtocolViolationException}.
     *
     * @param listener told of each version line and, once, of the end of the session
     * @return the live session
     */
    @Override
    public CompletionStage<RegistrySession> connect(SessionListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            return Future.<RegistrySession>failedFuture(connectorClosed()).toCompletionStage();
        }
        return transport.onContext(() -> {
            if (closed.get()) {
                return Future.<RegistrySession>failedFuture(connectorClosed());
            }
            BridgeRegistrySession session = new BridgeRegistrySession(transport, listener, sessions::remove);
            sessions.add(session);
            return session.open();
        }).toCompletionStage();
    }

    private RegistryConnectionException connectorClosed() {
        return new RegistryConnectionException(transport.eventPort().toString(), "connect: the connector is closed", null);
    }

    /** @return e.g. {@code line bridge 127.0.0.1 new/find/event ports 6701/6702/6703} */
    @Override
    public String describe() {
        return "line bridge " + transport.newPort().host() + " new/find/event ports " + transport.newPort().port()
                + "/" + transport.findPort().port() + "/" + transport.eventPort().port();
    }

    /**
     * Closes every session, the TCP client and, if this connector created it, the Vert.x
     * instance. Idempotent. Off an event loop it waits (up to 10 s) until that is done; on an
     * event loop it only starts it, so as never to block one.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Future<Void> done = transport.onContext(this::closeOnContext).transform(ar -> ownsVertx
                ? vertx.close() : Future.<Void>succeededFuture());
        if (!Context.isOnEventLoopThread()) {
            await(done);
        }
    }

    // Goes on past failures: every session and the client are closed whatever happens to one.
    private Future<Void> closeOnContext() {
        List<Future<Void>> closing = new ArrayList<>();
        new ArrayList<>(sessions).forEach(s -> closing.add(s.shutdown()));
        return Future.join(closing).transform(ar -> transport.close());
    }

    private static void await(Future<Void> done) {
        try {
            done.toCompletionStage().toCompletableFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.getLogger(BridgeConnector.class.getName()).log(System.Logger.Level.WARNING,
                    "closing the line bridge connector did not finish cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "BridgeConnector[" + describe() + "]";
    }
}
