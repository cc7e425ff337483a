package io.regmgr.runtime.client;

import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryException;
import io.regmgr.RegistryNames;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A session over the line bridge: live while its connection to the bridge's {@code event} port
 * is. Registrations each hold their own connection to the {@code new} port
 * ({@link BridgeRegistration}); each find uses one connection to the {@code find} port
 * ({@link BridgeQuery}), opened in advance when one is ready ({@link BridgeFindPool}: as many as the
 * last change's finds, at most {@link ConnectorOptions#bridgeFindPool()}, refilled when no find runs,
 * closed when the session ends), else when the find starts.
 *
 * <p>Lifecycle: {@code CONNECTING} until {@code READY\n} arrives (then {@link #open()}'s future
 * completes), {@code OPEN}, then {@code CLOSED} for good: by {@link #close()} (listener told
 * {@code closed(null)}), by the event connection ending ({@code closed(RegistryConnectionException)}),
 * by a protocol violation on it, or by a failed liveness probe ({@code closed(RegistryTimeoutException)}).
 * {@link SessionListener#closed} is called exactly once, and only for a session that opened. When the
 * session ends, every registration made through it is closed (the bridge unregisters it) and its
 * listener gets {@code dropped(cause)}, including on {@link #close()}; finds still running fail with
 * the cause.
 *
 * <p>Liveness: the event port discards input, so it cannot be asked whether it is alive. When it
 * has been silent for {@link ConnectorOptions#probeInterval()}, the session runs a find that matches
 * nothing on the {@code find} port and requires its answer (the bridge closing the connection)
 * within {@link ConnectorOptions#probeDeadline()}; if it fails, the session ends with a
 * {@link RegistryTimeoutException}. This detects an unreachable bridge host (or a bridge that no
 * longer answers); it does not detect a half-open event connection to a host that is still
 * reachable, which TCP keepalive ({@link ConnectorOptions#tcpKeepAlive()}) covers.
 *
 * <p>Thread-safety: public methods may be called from any thread; they hop onto the connector's
 * context, where all state lives. Results complete on that context.
 */
final class BridgeRegistrySession implements RegistrySession, BridgeEventConnection.Events {
    private static final System.Logger LOG = System.getLogger(BridgeRegistrySession.class.getName());
    /** Matches no service: no one uses this attribute name (nor such a value). */
    static final Filter MATCHES_NOTHING = Filter.of("regmgr.liveness-probe", "\u0001none");

    private enum State { CONNECTING, OPEN, CLOSED }

    private final BridgeTransport transport;
    private final SessionListener listener;
    private final Consumer<BridgeRegistrySession> onEnd;
    private final BridgeEventConnection events;
    private final Promise<RegistrySession> opened = Promise.promise();
    /** Registry requests behind one find connection of the bridge. */
    static final int REQUESTS_PER_FIND = 5;
    /** Of those, the ones a find on a connection opened in advance still costs: the filter's write and two reads. */
    static final int REQUESTS_PER_POOLED_FIND = 3;

    private final Set<BridgeRegistration> registrations = new LinkedHashSet<>();
    private final BridgeConfirmations confirmations;
    private final Set<BridgeQuery> queries = new LinkedHashSet<>();
    private final BridgeFindPool pool;
    /** The find that checks the find port after the bridge closed registrations, while it runs. */
    private Future<List<ServiceEntry>> closeCheck;
    private volatile State state = State.CONNECTING;
    private LivenessProbe probe;

    /**
     * @param onEnd told once when the session ends or fails to open, so the connector forgets it
     */
    BridgeRegistrySession(BridgeTransport transport, SessionListener listener, Consumer<BridgeRegistrySession> onEnd) {
        this.transport = transport;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.onEnd = onEnd;
        this.events = new BridgeEventConnection(transport, this);
        this.confirmations = new BridgeConfirmations(this);
        this.pool = new BridgeFindPool(transport);
    }

    /** Connects the event port; call on the context. @return completes once READY has arrived */
    Future<RegistrySession> open() {
        events.open();
        return opened.future();
    }

    BridgeTransport transport() {
        return transport;
    }

    /**
     * Registers over a connection of its own to the {@code new} port, and confirms by find (see
     * {@link BridgeRegistration}). Refused before anything is sent, as a failed stage: CR or LF in
     * an attribute or value ({@link io.regmgr.InvalidEntryException}), a line of more than 8191 bytes
     * with its newline ({@link io.regmgr.LimitExceededException}). Fails later with
     * {@link io.regmgr.RegistryErrorException} when the bridge closes the connection (a refusal),
     * {@link RegistryTimeoutException} when the service is not visible within the request timeout,
     * {@link RegistryConnectionException} when a port is unreachable or the session ends.
     */
    @Override
    public CompletionStage<Registration> register(ServiceEntry entry, RegistrationListener listener) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(listener, "listener");
        byte[] line;
        try {
            line = BridgeRegistration.checkRegistration(entry);
        } catch (RegistryException e) {
            return CompletableFuture.failedStage(e);
        }
        if (state == State.CLOSED) {
            return CompletableFuture.failedStage(notOpen("register " + entry.name()));
        }
        return transport.<Registration>onContext(() -> {
            if (state != State.OPEN) {
                return Future.failedFuture(notOpen("register " + entry.name()));
            }
            BridgeRegistration r = new BridgeRegistration(this, entry, listener);
            registrations.add(r);
            return r.start(line);
        }).toCompletionStage();
    }

    /**
     * Starts a find tracked by this session (aborted if the session ends), on a connection opened in
     * advance when one is ready; call on the context.
     *
     * @throws RegistryConnectionException if the session is not open
     */
    BridgeQuery query(Filter filter, Duration timeout, String purpose) {
        return start(filter, timeout, purpose, true);
    }

    private BridgeQuery start(Filter filter, Duration timeout, String purpose, boolean pooled) {
        if (state != State.OPEN) {
            throw notOpen(purpose + " " + RegistryNames.printable(filter.toString()));
        }
        BridgeQuery q = BridgeQuery.start(transport, filter, timeout, purpose, pooled ? pool.take() : null);
        queries.add(q);
        q.result().onComplete(ar -> {
            queries.remove(q);
            // off the critical path: the change's finds are all answered
            if (queries.isEmpty() && state == State.OPEN) {
                pool.refill();
            }
        });
        return q;
    }

    /**
     * A find that matches nothing, on a new connection, shared by every caller until it ends: a
     * bridge that goes away closes every registration's connection at once, and each asks whether
     * the find port still answers (one connection, not one per registration: each costs the
     * registry a walk and an open at the accept, also when the session ends before its filter is
     * written). Call on the context.
     *
     * @return the running check's result
     * @throws RegistryConnectionException if the session is not open
     */
    Future<List<ServiceEntry>> checkFindPort() {
        Future<List<ServiceEntry>> running = closeCheck;
        if (running == null) {
            running = start(MATCHES_NOTHING, transport.options().probeDeadline(),
                    "check after the bridge closed a registration's connection:", false).result();
            closeCheck = running;
            running.onComplete(ar -> closeCheck = null);
        }
        return running;
    }

    /** @return the rounds of finds that confirm this session's registrations */
    BridgeConfirmations confirmations() {
        return confirmations;
    }

    /** A registration has ended for good and needs no more care from the session; on the context. */
    void forget(BridgeRegistration r) {
        registrations.remove(r);
    }

    /**
     * One connection to the {@code find} port per query (opened in advance when one is ready); see
     * {@link BridgeQuery} for the limits and failures. Fails with {@link RegistryConnectionException} if the session has ended.
     */
    @Override
    public CompletionStage<List<ServiceEntry>> find(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        if (state == State.CLOSED) {
            return CompletableFuture.failedStage(notOpen("find " + RegistryNames.printable(filter.toString())));
        }
        return transport.onContext(() -> query(filter, transport.options().requestTimeout(), "find").result())
                .toCompletionStage();
    }

    /**
     * @return {@value #REQUESTS_PER_POOLED_FIND} when find connections are opened in advance (the
     *     bridge walked and opened {@code find} when it accepted the connection, before the change;
     *     the filter's write and two reads remain), else {@value #REQUESTS_PER_FIND}
     */
    @Override
    public int requestsPerRead() {
        return pool.enabled() ? REQUESTS_PER_POOLED_FIND : REQUESTS_PER_FIND;
    }

    /** @return {@code find(Filter.all())}: the bridge has no index port */
    @Override
    public CompletionStage<List<ServiceEntry>> index() {
        return find(Filter.all());
    }

    /** Not on the line bridge: it has no remove. @return a stage failed with {@link UnsupportedOperationException} */
    @Override
    public CompletionStage<Void> remove(String serviceName) {
        return CompletableFuture.failedStage(new UnsupportedOperationException("remove(" + serviceName
                + ") is not supported by the line bridge " + transport.newPort() + ": it has no remove; a service"
                + " is unregistered only by closing the connection that registered it (see canRemove())"));
    }

    /** @return false: the line bridge cannot remove a service by name */
    @Override
    public boolean canRemove() {
        return false;
    }

    /** @return empty: the bridge does not tell the version when the session opens */
    @Override
    public OptionalLong initialVersion() {
        return OptionalLong.empty();
    }

    /** @return empty: the bridge does not tell when the registry started */
    @Override
    public Optional<Instant> registryStartTime() {
        return Optional.empty();
    }

    /** @return whether the session is open: READY arrived and it has not ended */
    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /**
     * Closes the event connection and every registration's connection (the bridge unregisters
     * them; their listeners get {@code dropped(RegistryConnectionException)}) and the find connections
     * opened in advance, fails running finds,
     * and tells the session listener {@code closed(null)}, unless the session had already ended.
     * Idempotent.
     */
    @Override
    public CompletionStage<Void> close() {
        return transport.onContext(() -> end(null)).toCompletionStage();
    }

    /** {@link #close()} from the context itself. @return completes when the connections are closed */
    Future<Void> shutdown() {
        return end(null);
    }

    @Override
    public void ready() {
        if (state != State.CONNECTING) {
            return;
        }
        state = State.OPEN;
        probe = new LivenessProbe(transport.vertx(), transport.options().probeInterval(), this::probe);
        probe.start();
        opened.complete(this);
    }

    @Override
    public void changed(long version) {
        if (state != State.OPEN) {
            return;
        }
        probe.received();
        pool.changed();
        try {
            listener.changed(version);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session listener failed on changed(" + version + ")", e);
        }
    }

    @Override
    public void lost(RegistryException cause) {
        end(cause);
    }

    /**
     * Ends the session (once): closes the event connection and every registration, fails running
     * finds, tells the listener.
     *
     * @param cause why, or null when the client closed it
     */
    private Future<Void> end(RegistryException cause) {
        State was = state;
        if (was == State.CLOSED) {
            return Future.succeededFuture();
        }
        state = State.CLOSED;
        if (probe != null) {
            probe.stop();
        }
        RegistryException why = cause != null ? cause : new RegistryConnectionException(
                transport.eventPort().toString(), "the session was closed by the client", null);
        List<Future<Void>> closing = new ArrayList<>();
        closing.add(events.close());
        new ArrayList<>(registrations).forEach(r -> closing.add(r.sessionEnded(why)));
        registrations.clear();
        new ArrayList<>(queries).forEach(q -> q.abort(why));
        pool.close();
        onEnd.accept(this);
        if (was == State.CONNECTING) {
            opened.tryFail(why);
        } else {
            notifyClosed(cause);
        }
        return Future.join(closing).mapEmpty();
    }

    private void notifyClosed(RegistryException cause) {
        try {
            listener.closed(cause);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session listener failed on closed(" + cause + ")", e);
        }
    }

    /**
     * One liveness probe: the event port discards input, so the probe is a find that matches
     * nothing, which must be answered within the deadline. It tells an unreachable bridge host;
     * a half-open event connection on a reachable host is left to TCP keepalive.
     */
    private Future<?> probe() {
        Duration deadline = transport.options().probeDeadline();
        // on a new connection: the probe is about the bridge accepting, and an empty answer is what it expects
        return start(MATCHES_NOTHING, deadline, "liveness probe", false).result().onFailure(e -> {
            if (state == State.OPEN) {
                end(probeFailed(transport.options().probeInterval(), deadline, e));
            }
        });
    }

    private RegistryTimeoutException probeFailed(Duration silent, Duration deadline, Throwable cause) {
        RegistryTimeoutException e = new RegistryTimeoutException("liveness probe of the line bridge "
                + transport.findPort() + " (event connection silent for at least " + silent.toMillis() + " ms)", deadline);
        if (!(cause instanceof RegistryTimeoutException)) {
            e.initCause(cause);
        }
        return e;
    }

    private RegistryConnectionException notOpen(String request) {
        return new RegistryConnectionException(transport.eventPort().toString(), request
                + ": the session is " + (state == State.CONNECTING ? "not open yet" : "closed"), null);
    }
}
