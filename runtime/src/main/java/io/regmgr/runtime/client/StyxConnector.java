package io.regmgr.runtime.client;

import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The native transport: each session is one 9P2000 ("Styx") TCP connection straight into the
 * registry, pipelining every request over it, with one read of the {@code event} file always
 * outstanding. Requests that get no answer within {@link ConnectorOptions#requestTimeout()} fail
 * with {@link io.regmgr.RegistryTimeoutException}; a connection silent for
 * {@link ConnectorOptions#probeInterval()} is probed and declared dead when the probe goes
 * unanswered for {@link ConnectorOptions#probeDeadline()}. TCP connections use
 * {@code TCP_NODELAY} and, unless turned off, TCP keepalive.
 *
 * <pre>{@code
 * try (StyxConnector connector = new StyxConnector(ConnectorOptions.builder("tcp!reg!6675").build())) {
 *     RegistrySession session = connector.connect(listener).toCompletableFuture().join();
 *     session.register(ServiceEntry.of("tcp!me!80", "proto", "http"), RegistrationListener.NONE);
 * }
 * }</pre>
 *
 * <p>Lifecycle: usable from construction until {@link #close()}, which closes every open session
 * (their listeners get {@code closed(null)}), then the Vert.x instance if the connector created it
 * (when {@link ConnectorOptions#vertx()} is null). Thread-safe; results complete on Vert.x event
 * loop threads, where callers must not block.
 */
public final class StyxConnector implements RegistryConnector {
    private static final System.Logger LOG = System.getLogger(StyxConnector.class.getName());
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final ConnectorOptions options;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final NetClient net;
    private final Set<StyxRegistrySession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MsizeFallback msize;

    /**
     * @param options the registry's address, identity, timeouts and limits; a Vert.x instance to
     *     share, or null to let the connector create (and close) its own
     */
    public StyxConnector(ConnectorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.msize = new MsizeFallback(options.msize());
        this.ownsVertx = options.vertx() == null;
        this.vertx = ownsVertx ? Vertx.vertx() : options.vertx();
        this.net = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .setTcpKeepAlive(options.tcpKeepAlive())
                .setTcpNoDelay(true));
    }

    /**
     * Connects, attaches, reads the root's stat and starts the event read. Completes once that
     * read is outstanding: any later change reaches {@code listener}.
     *
     * <p>A refusal because of the message size ({@code stat buffer too small}, {@code count too big})
     * at an msize above {@link ConnectorOptions#DEFAULT_MSIZE} lowers the msize to that one for this
     * and every later connection and connects again at once; at or below it, the failure names the
     * cause and the option to change.
     *
     * @param listener told of changes and of the end; called on the connection's event loop
     * @return the session, or a failure: {@link RegistryConnectionException} (unreachable, refused,
     *     or this connector closed), {@link io.regmgr.RegistryTimeoutException},
     *     {@link io.regmgr.ProtocolViolationException}
     */
    @Override
    public CompletionStage<RegistrySession> connect(SessionListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            return CompletableFuture.failedStage(connectorClosed());
        }
        String address = options.address().toString();
        return attempt(listener)
                .recover(e -> msize.lowerFor(e, address) ? attempt(listener) : Future.failedFuture(e))
                .recover(e -> Future.failedFuture(msize.explain(e, address)))
                .toCompletionStage();
    }

    /**
     * Opens a TCP connection to the registry and closes it at once, before any 9P message: the
     * registry accepts and forgets it, with no session set up (no {@code Tversion}, no
     * authentication).
     *
     * @return {@code true} once the registry accepted the connection; fails with
     *     {@link RegistryConnectionException} (refused, unreachable within the connect timeout,
     *     or this connector closed)
     */
    @Override
    public CompletionStage<Boolean> probe() {
        if (closed.get()) {
            return CompletableFuture.failedStage(connectorClosed());
        }
        String address = options.address().toString();
        return net.connect(options.address().port(), options.address().host())
                .recover(e -> Future.failedFuture(new RegistryConnectionException(address,
                        "probe: cannot connect: " + e.getMessage(), e)))
                .compose(s -> SelfConnection.refuse(s, address))
                .compose(NetSocket::close)
                .map(true)
                .toCompletionStage();
    }

    private Future<RegistrySession> attempt(SessionListener listener) {
        if (closed.get()) {
            return Future.failedFuture(connectorClosed());
        }
        return StyxClient.connect(vertx, net, options, msize.current())
                // The client may be attached before compose() is called: the function then runs at
                // once on the caller's thread. The session must be opened on the client's context.
                .compose(client -> Future.fromCompletionStage(client.run(() -> StyxRegistrySession.open(client, listener,
                        sessions::remove)
                        .recover(e -> {
                            client.close();
                            return Future.failedFuture(e instanceof RegistryErrorException
                                    ? new RegistryConnectionException(client.address(),
                                            "the registry refused the session: " + e.getMessage(), e)
                                    : e);
                        }))))
                .compose(session -> {
                    sessions.add(session);
                    if (closed.get()) {
                        session.close();
                        return Future.<RegistrySession>failedFuture(connectorClosed());
                    }
                    return Future.<RegistrySession>succeededFuture(session);
                });
    }

    private RegistryConnectionException connectorClosed() {
        return new RegistryConnectionException(options.address().toString(), "the connector is closed", null);
    }

    /** @return {@code 9P2000 tcp!host!port}, followed by the msize in force if a size refusal lowered it */
    @Override
    public String describe() {
        String lowered = msize.lowered();
        return "9P2000 " + options.address() + (lowered == null ? "" : " (" + lowered + ")");
    }

    /**
     * Closes every open session, then the TCP client and, if the connector created it, the Vert.x
     * instance. Idempotent. Off the event loop it waits for all that (at most
     * {@value #CLOSE_WAIT_SECONDS} s); on it, it only starts it. Failures are logged together.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Future<Void>> closing = new ArrayList<>();
        for (StyxRegistrySession s : sessions) {
            closing.add(Future.fromCompletionStage(s.close()));
        }
        Future<Void> all = Future.join(closing)
                .transform(ar -> {
                    if (ar.failed()) {
                        LOG.log(Level.WARNING, "closing the sessions of " + describe() + " failed", ar.cause());
                    }
                    return net.close();
                })
                .transform(ar -> ownsVertx ? vertx.close() : Future.<Void>succeededFuture());
        if (!Context.isOnVertxThread()) {
            await(all);
        }
    }

    private void await(Future<Void> all) {
        try {
            all.toCompletionStage().toCompletableFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "closing " + describe() + " did not finish cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "StyxConnector[" + describe() + ", " + sessions.size() + " sessions]";
    }
}
