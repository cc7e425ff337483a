package io.regmgr.spi;

import io.regmgr.RegistryManager;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Something a {@link RegistryManager} keeps working whenever the registry is reachable: the task
 * plugin of the original Inferno::RegMgr, with its START, STOP and REFRESH. Extend it to write
 * your own task; the built-in ones are service registrations, lookups and monitors.
 *
 * <p>Lifecycle: a task is attached to at most one manager at a time
 * ({@link RegistryManager#attach}). While attached, the manager calls {@link #start} each time a
 * session opens (at once if one is open), {@link #refresh} after each change of the registry, and
 * {@link #stop} when the session ends or the task is detached. A detached task keeps its state
 * and may be attached again.
 *
 * <p>Threading: the three callbacks run on the manager's event loop, one at a time; they must not
 * block. User-facing callbacks belong on {@link TaskContext#listenerExecutor()}.
 */
public abstract class RegistryTask {
    private final AtomicReference<RegistryManager> owner = new AtomicReference<>();

    /** @return the manager this task is attached to, if any */
    public final Optional<RegistryManager> manager() {
        return Optional.ofNullable(owner.get());
    }

    /**
     * Claims this task for {@code manager}; called by {@link RegistryManager#attach} implementations.
     *
     * @param manager the manager attaching this task
     * @throws IllegalStateException {@code already attached} if attached to this or another manager
     */
    public final void claim(RegistryManager manager) {
        if (!owner.compareAndSet(null, manager)) {
            throw new IllegalStateException("already attached");
        }
    }

    /**
     * Releases this task from {@code manager}; called by {@link RegistryManager#detach} implementations.
     *
     * @param manager the manager detaching this task
     * @throws IllegalStateException {@code not attached to this manager}
     */
    public final void release(RegistryManager manager) {
        if (!owner.compareAndSet(manager, null)) {
            throw new IllegalStateException("not attached to this manager");
        }
    }

    /**
     * A session is open: do the task's work through {@code context}. Called on the manager's
     * thread; must not block.
     *
     * @param context the session and the manager's services
     */
    public abstract void start(TaskContext context);

    /**
     * The session ended or the task is being detached: forget the session, keep the state needed
     * to start again. Called on the manager's thread; must not block.
     */
    public abstract void stop();

    /**
     * The registry changed while this task was started. The default does nothing.
     *
     * @param context the session, the shared index read of this change, the manager's services
     */
    public void refresh(TaskContext context) {
    }
}
