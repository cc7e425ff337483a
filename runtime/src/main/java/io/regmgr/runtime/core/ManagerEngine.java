package io.regmgr.runtime.core;

import io.regmgr.ConnectionListener;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryManager;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.Subscription;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistryTask;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The working part of a {@link DefaultRegistryManager}: one connection loop and the tasks attached
 * to it, all on one Vert.x context. Everything Vert.x, the connector and the tasks refer to leads
 * here, never to the {@link DefaultRegistryManager} the application holds: the engine knows that
 * one only through its {@link RegistryTask.Owner owner token}, weakly, so that an unreferenced
 * manager can be collected (and this engine closed by the {@link java.lang.ref.Cleaner}).
 *
 * <p>Threading: public-facing methods may be called from any thread and hop onto the context;
 * the state lives on the context and needs no locks. See {@link DefaultRegistryManager}.
 */
final class ManagerEngine {
    private static final System.Logger LOG = System.getLogger(ManagerEngine.class.getName());

    private enum Lifecycle { NEW, RUNNING, CLOSED }

    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final RegistryConnector connector;
    private final boolean ownsConnector;
    private final ManagerOptions options;
    private final ManagerResources resources;
    private final Context context;
    private final Backoff backoff;
    private final StatusTracker status;
    private final ManagerMetrics metrics;
    private final ConnectionLoop loop;
    private final InstanceToken token;
    /** Attached tasks; on the context only. */
    private final AttachedTasks tasks;
    private final Set<String> noSessionNames = new HashSet<>();
    /** Bounds the registrations under way in the current session; replaced with each session. */
    private InFlightGate gate = InFlightGate.OPEN;

    /** Claims this manager's tasks; refers to the public manager weakly. */
    private final RegistryTask.Owner owner;

    /**
     * @param connector how to reach the registry
     * @param ownsConnector whether the manager made it (and so closes it)
     * @param options how the manager behaves
     * @param owner the token of the public manager, which this engine must not refer to otherwise
     */
    ManagerEngine(RegistryConnector connector, boolean ownsConnector, ManagerOptions options, RegistryTask.Owner owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.ownsConnector = ownsConnector;
        this.options = Objects.requireNonNull(options, "options");
        this.resources = new ManagerResources(options);
        this.context = resources.vertx().getOrCreateContext();
        this.backoff = new Backoff(options.reconnectInitialDelay(), options.reconnectMaxDelay());
        this.status = new StatusTracker(Clock.systemUTC(), resources.serialExecutor(options.name() + " connection listeners"));
        this.metrics = new ManagerMetrics(options.metrics(), options.name(), connector, () -> status.current().state());
        this.token = InstanceToken.create(options.instanceTokenAttribute().orElse(null));
        ReconnectSchedule schedule = options.reconnectProbes() ? new ReconnectSchedule(options.reconnectInitialDelay(),
                options.reconnectMaxDelay(), options.restoreSpread()) : null;
        this.loop = new ConnectionLoop(connector, resources.vertx(), context, backoff, schedule, status, metrics,
                new SessionTasks(), new ReadPlanner(token.filter().orElse(null)));
        this.tasks = new AttachedTasks(this, owner, resources, metrics);
    }

    /** Starts connecting; once. */
    void start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
            throw new IllegalStateException(options.name() + " was already started");
        }
        context.runOnContext(v -> loop.start());
    }

    void attach(RegistryTask task) {
        Objects.requireNonNull(task, "task");
        requireRunning("attach " + task);
        task.claim(owner);
        if (lifecycle.get() != Lifecycle.RUNNING) {
            tasks.releaseQuietly(task);
            throw closed("attach " + task);
        }
        context.runOnContext(v -> reconcile(task));
    }

    void detach(RegistryTask task) {
        Objects.requireNonNull(task, "task");
        task.release(owner);
        context.runOnContext(v -> reconcile(task));
    }

    ServiceRegistration register(ServiceEntry entry) {
        Objects.requireNonNull(entry, "entry");
        requireRunning("register " + entry.name());
        ManagedRegistration registration = new ManagedRegistration(token.stamp(entry), token);
        attach(registration);
        return registration;
    }

    /** @param name the monitor's name, or null for its filter's words */
    Monitor monitor(String name, Filter filter, MonitorListener listener) {
        requireRunning("monitor " + filter);
        ManagedMonitor monitor = new ManagedMonitor(name, filter, listener);
        attach(monitor);
        return monitor;
    }

    CompletionStage<List<ServiceEntry>> lookup(Filter filter) {
        requireRunning("lookup " + filter);
        LookupTask lookup = new LookupTask(filter);
        attach(lookup);
        return lookup.result();
    }

    /** @return the connector's description now; any thread */
    String registry() {
        return connector.describe();
    }

    ConnectionStatus status() {
        return status.current();
    }

    Subscription onConnection(ConnectionListener listener) {
        return status.subscribe(listener);
    }

    /**
     * Starts closing, once: detaches every task (services are unregistered), closes the session
     * and releases what the manager created. Returns at once; see {@link #awaitClosed()}.
     *
     * @return whether this call started it (false: closed before)
     */
    boolean shutDown() {
        Lifecycle before = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (before == Lifecycle.RUNNING) {
            context.runOnContext(v -> closeOnContext());
        } else if (before == Lifecycle.NEW) {
            resources.release(connector, ownsConnector, List.of());
        }
        return before != Lifecycle.CLOSED;
    }

    /**
     * The cleaning action of the public manager, run by the {@link java.lang.ref.Cleaner} once
     * the application no longer references it (or by its {@code close()}, then doing nothing).
     * Must not block: the cleaner's thread is shared.
     */
    void closeUnreferenced() {
        if (shutDown()) {
            LOG.log(Level.INFO, () -> "manager " + options.name() + " is no longer referenced and was not closed:"
                    + " closing it (unregistering its services, closing its connection to " + connector.describe() + ")");
        }
    }

    /**
     * Waits, at most the close timeout, until what the manager created is released; off an event
     * loop only (on one it returns at once).
     */
    void awaitClosed() {
        resources.awaitClosed(options.closeTimeout());
    }

    /** @return name, registry and state, for the manager's {@code toString} */
    String describe() {
        return options.name() + ", " + connector.describe() + ", " + status.current().state();
    }

    /** @return the token the manager's tasks are claimed with */
    RegistryTask.Owner owner() {
        return owner;
    }

    /**
     * @param task a task attached to this manager
     * @return whether it is still claimed by it (false once detached or released by close)
     */
    boolean claims(RegistryTask task) {
        return task.isClaimedBy(owner);
    }

    // ---- for tasks and their contexts (on the context unless said otherwise)

    Backoff backoff() {
        return backoff;
    }

    ManagerMetrics metrics() {
        return metrics;
    }

    String describeRegistry() {
        return connector.describe();
    }

    /** @param action run on the manager's context; any thread */
    void onContext(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    Set<String> sessionNames() {
        LiveSession live = loop.live();
        if (live != null) {
            return live.registeredNames();
        }
        noSessionNames.clear();
        return noSessionNames;
    }

    Runnable holdIndex() {
        LiveSession live = loop.live();
        return live == null ? () -> { } : live.hold();
    }

    void registering(Consumer<Runnable> start) {
        (loop.live() == null ? InFlightGate.OPEN : gate).enter(start);
    }

    void whenUnheld(Runnable action) {
        LiveSession live = loop.live();
        if (live == null) {
            action.run();
        } else {
            live.whenUnheld(action);
        }
    }

    CompletionStage<Holdings> holdings(boolean everyName, long sentAfter) {
        LiveSession live = loop.live();
        if (live == null || live.ended()) {
            return CompletableFuture.failedFuture(new RegistryConnectionException(
                    connector.describe(), "holdings requested with no session open", null));
        }
        return everyName ? live.cycle().fullHoldings(sentAfter) : live.cycle().holdings(sentAfter);
    }

    /** Detaches {@code task} if it is still attached here (a task detaching itself). */
    void detachQuietly(RegistryTask task) {
        if (tasks.releaseQuietly(task)) {
            context.runOnContext(v -> reconcile(task));
        }
    }

    // ---- on the context

    /**
     * Brings the task's slot in line with its claim: attach and detach only change the claim (at
     * once, on the caller's thread) and ask for this, so whatever their interleaving across
     * threads, the slot ends up matching the last claim.
     */
    private void reconcile(RegistryTask task) {
        tasks.reconcile(task, lifecycle.get() == Lifecycle.RUNNING, loop.live());
    }

    private void closeOnContext() {
        LiveSession open = loop.shutDown();
        tasks.releaseAll();
        // A session that does not close in time must not keep the pool and the Vert.x instance alive.
        long guard = resources.vertx().setTimer(options.closeTimeout().toMillis(), id -> finishClose(List.of(
                new RegistryTimeoutException("closing the session with " + connector.describe(), options.closeTimeout()))));
        loop.closeSessions(open).whenComplete((v, failure) -> context.runOnContext(x -> {
            resources.vertx().cancelTimer(guard);
            finishClose(failure == null ? List.of() : List.of(Hop.unwrap(failure)));
        }));
    }

    private void finishClose(List<Throwable> failures) {
        if (status.current().state() != ConnectionState.CLOSED) {
            status.closed();
            metrics.close();
            resources.release(connector, ownsConnector, failures);
        }
    }

    private void requireRunning(String what) {
        if (lifecycle.get() != Lifecycle.RUNNING) {
            throw closed(what);
        }
    }

    private IllegalStateException closed(String what) {
        return new IllegalStateException("cannot " + what + ": manager " + options.name() + " is closed");
    }

    /** Starts, refreshes and stops the tasks for the connection loop. */
    private final class SessionTasks implements ConnectionLoop.Tasks {
        @Override
        public void start(LiveSession session) {
            // Whatever the attach order, monitors read the index only once every registration
            // started here has had its first answer (each holds the reads meanwhile).
            // Over 9P a registration's answer is its own write's. A transport whose reads are costly
            // connections of their own (the line bridge) confirms registrations together with shared
            // reads: there they are all opened at once, as a bound would serialize the confirmations.
            gate = session.session().requestsPerRead() > 1 ? InFlightGate.OPEN : new InFlightGate(options.restoreInFlight());
            Runnable starting = session.hold();
            tasks.startAll(session, Holdings.lastRead()); // every task started here shares the session's first read
            starting.run();
        }

        @Override
        public void refresh(LiveSession session) {
            tasks.refreshAll();
        }

        @Override
        public void stop(LiveSession session) {
            tasks.stopAll();
        }
    }
}
