package io.regmgr.runtime.core;

import io.regmgr.ConnectionListener;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The {@link RegistryManager}: one connection loop and the tasks attached to it, all on one Vert.x
 * context. Build it with {@link RegistryManagers}.
 *
 * <p><b>Threading.</b> The state lives on one Vert.x context and needs no locks; public methods may
 * be called from any thread and hop onto it ({@link #attach} and {@link #detach} check ownership at
 * once, then act on the context). Task callbacks run on the context; user code (monitor and status
 * listeners, completions of the stages this manager returns) runs on per-task serial executors over
 * a thread pool the manager creates, never on the event loop: a listener that throws is logged, one
 * that blocks holds back only its own task. The context is a new event-loop context of the Vert.x
 * instance, or the caller's context when the manager is built on a Vert.x thread.
 *
 * <p><b>Status.</b> {@link #status()} is current at any time; {@code lastContact} moves with every
 * answer and event of the registry. {@link #onConnection} listeners hear of changes of state,
 * attempt count or cause, not of every contact.
 *
 * <p><b>Registrations</b> carry the manager's instance token (attribute {@code regmgr-instance},
 * a random UUID; see {@link ManagerOptions.Builder#instanceTokenAttribute}), so that
 * {@link ServiceRegistration#entry()} includes it and a stale entry left by a lost 9P connection
 * is provably this manager's and removed at once instead of waited out. As a session starts,
 * monitors and lookups read the registry only once every registration has had its first answer,
 * so that they see this manager's own services again rather than report them removed and added.
 *
 * <p><b>Lifecycle.</b> Started by its factory; connects at once and keeps reconnecting until
 * {@link #close()}, which detaches every task (unregistering services), closes the session, then
 * closes what the manager created: its thread pool, its Vert.x instance if it made one, and the
 * connector only if the factory made it. After {@code close()} no timer or thread of the manager
 * remains and nothing static refers to it; {@link #attach} and the task factories throw
 * {@link IllegalStateException}.
 */
public final class DefaultRegistryManager implements RegistryManager {
    private static final System.Logger LOG = System.getLogger(DefaultRegistryManager.class.getName());

    private enum Lifecycle { NEW, RUNNING, CLOSED }

    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final RegistryConnector connector;
    private final boolean ownsConnector;
    private final ManagerOptions options;
    private final ManagerResources resources;
    private final Context context;
    private final Backoff backoff;
    private final StatusTracker status;
    private final ConnectionLoop loop;
    private final InstanceToken token;
    /** Claims this manager's tasks; refers to it weakly. */
    private final RegistryTask.Owner owner = new RegistryTask.Owner(this);
    /** Attached tasks by identity, in attach order; on the context only. */
    private final Map<RegistryTask, TaskSlot> slots = new IdentityHashMap<>();
    private final List<TaskSlot> order = new ArrayList<>();
    private final Set<String> noSessionNames = new HashSet<>();

    DefaultRegistryManager(RegistryConnector connector, boolean ownsConnector, ManagerOptions options) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.ownsConnector = ownsConnector;
        this.options = Objects.requireNonNull(options, "options");
        this.resources = new ManagerResources(options);
        this.context = resources.vertx().getOrCreateContext();
        this.backoff = new Backoff(options.reconnectInitialDelay(), options.reconnectMaxDelay());
        this.status = new StatusTracker(Clock.systemUTC(), resources.serialExecutor(options.name() + " connection listeners"));
        this.loop = new ConnectionLoop(connector, resources.vertx(), context, backoff, status, new SessionTasks());
        this.token = InstanceToken.create(options.instanceTokenAttribute().orElse(null));
    }

    /** Starts connecting; once. */
    void start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
            throw new IllegalStateException(options.name() + " was already started");
        }
        context.runOnContext(v -> loop.start());
    }

    @Override
    public void attach(RegistryTask task) {
        Objects.requireNonNull(task, "task");
        requireRunning("attach " + task);
        task.claim(owner);
        if (lifecycle.get() != Lifecycle.RUNNING) {
            releaseQuietly(task);
            throw closed("attach " + task);
        }
        context.runOnContext(v -> reconcile(task));
    }

    @Override
    public void detach(RegistryTask task) {
        Objects.requireNonNull(task, "task");
        task.release(owner);
        context.runOnContext(v -> reconcile(task));
    }

    @Override
    public ServiceRegistration register(ServiceEntry entry) {
        Objects.requireNonNull(entry, "entry");
        requireRunning("register " + entry.name());
        ManagedRegistration registration = new ManagedRegistration(token.stamp(entry), token);
        attach(registration);
        return registration;
    }

    @Override
    public Monitor monitor(Filter filter, MonitorListener listener) {
        requireRunning("monitor " + filter);
        ManagedMonitor monitor = new ManagedMonitor(filter, listener);
        attach(monitor);
        return monitor;
    }

    @Override
    public CompletionStage<List<ServiceEntry>> lookup(Filter filter) {
        requireRunning("lookup " + filter);
        LookupTask lookup = new LookupTask(filter);
        attach(lookup);
        return lookup.result();
    }

    @Override
    public ConnectionStatus status() {
        return status.current();
    }

    @Override
    public Subscription onConnection(ConnectionListener listener) {
        return status.subscribe(listener);
    }

    /**
     * Detaches every task (services are unregistered), closes the session and releases what the
     * manager created. Idempotent. Off an event loop it waits, at most the close timeout, until the
     * connection is closed; on an event loop (from a task) it returns at once and finishes in the
     * background. A listener still running is not interrupted.
     */
    @Override
    public void close() {
        Lifecycle before = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (before == Lifecycle.RUNNING) {
            context.runOnContext(v -> closeOnContext());
        } else if (before == Lifecycle.NEW) {
            resources.release(connector, ownsConnector, List.of());
        }
        resources.awaitClosed(options.closeTimeout());
    }

    @Override
    public String toString() {
        return "DefaultRegistryManager[" + options.name() + ", " + connector.describe() + ", " + status.current().state() + "]";
    }

    // ---- for tasks and their contexts (on the context unless said otherwise)

    /** @return the token the manager's tasks are claimed with; any thread */
    RegistryTask.Owner owner() {
        return owner;
    }

    /**
     * @param task a task attached to this manager
     * @return whether it is still claimed by it (false once detached or released by close); any thread
     */
    boolean claims(RegistryTask task) {
        return task.isClaimedBy(owner);
    }

    Backoff backoff() {
        return backoff;
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

    void whenUnheld(Runnable action) {
        LiveSession live = loop.live();
        if (live == null) {
            action.run();
        } else {
            live.whenUnheld(action);
        }
    }

    /** Detaches {@code task} if it is still attached here (a task detaching itself). */
    void detachQuietly(RegistryTask task) {
        if (releaseQuietly(task)) {
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
        boolean ours = task.isClaimedBy(owner);
        TaskSlot slot = slots.get(task);
        if (ours && lifecycle.get() == Lifecycle.RUNNING) {
            if (slot == null) {
                add(task, true);
            }
            return;
        }
        if (ours) {
            // Accepted by attach(), then the manager closed before the task got here: it is
            // attached and detached at once, so that it ends like every other task (a lookup fails).
            releaseQuietly(task);
            if (slot == null) {
                slot = add(task, false);
            }
        }
        if (slot != null) {
            remove(slot);
        }
    }

    private TaskSlot add(RegistryTask task, boolean startIfConnected) {
        TaskSlot slot = new TaskSlot(this, task, resources.serialExecutor(task.toString()));
        slots.put(task, slot);
        order.add(slot);
        if (task instanceof ManagedTask) {
            safely(task, "attached", () -> ((ManagedTask) task).attached(slot));
        }
        LiveSession live = loop.live();
        if (live != null && startIfConnected) {
            startTask(slot, live);
        }
        return slot;
    }

    private void remove(TaskSlot slot) {
        slots.remove(slot.task());
        order.remove(slot);
        stopTask(slot);
        if (slot.task() instanceof ManagedTask) {
            safely(slot.task(), "detached", ((ManagedTask) slot.task())::detached);
        }
    }

    private void startTask(TaskSlot slot, LiveSession live) {
        SlotContext started = new SlotContext(this, slot, live, resources.vertx());
        slot.context(started);
        safely(slot.task(), "start", () -> slot.task().start(started));
    }

    private void stopTask(TaskSlot slot) {
        SlotContext started = slot.context();
        if (started != null) {
            started.invalidate();
            slot.context(null);
            safely(slot.task(), "stop", slot.task()::stop);
        }
    }

    private void closeOnContext() {
        LiveSession open = loop.shutDown();
        for (TaskSlot slot : List.copyOf(order)) {
            releaseQuietly(slot.task());
            remove(slot);
        }
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
            resources.release(connector, ownsConnector, failures);
        }
    }

    private void forEachStarted(Consumer<TaskSlot> action) {
        for (TaskSlot slot : List.copyOf(order)) {
            if (slot.context() != null && slots.get(slot.task()) == slot && slot.task().isClaimedBy(owner)) {
                action.accept(slot);
            }
        }
    }

    private boolean releaseQuietly(RegistryTask task) {
        try {
            task.release(owner);
            return true;
        } catch (IllegalStateException notOurs) {
            return false;
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

    private static void safely(RegistryTask task, String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " of " + task + " threw; the manager goes on", e);
        }
    }

    /** Starts, refreshes and stops the tasks for the connection loop. */
    private final class SessionTasks implements ConnectionLoop.Tasks {
        @Override
        public void start(LiveSession session) {
            // Whatever the attach order, monitors read the index only once every registration
            // started here has had its first answer (each holds the reads meanwhile).
            Runnable starting = session.hold();
            for (TaskSlot slot : List.copyOf(order)) {
                if (slots.get(slot.task()) == slot && slot.context() == null) {
                    startTask(slot, session);
                }
            }
            starting.run();
        }

        @Override
        public void refresh(LiveSession session) {
            forEachStarted(slot -> safely(slot.task(), "refresh", () -> slot.task().refresh(slot.context())));
        }

        @Override
        public void stop(LiveSession session) {
            for (TaskSlot slot : List.copyOf(order)) {
                stopTask(slot);
            }
        }
    }
}
