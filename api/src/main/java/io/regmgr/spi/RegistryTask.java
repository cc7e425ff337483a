package io.regmgr.spi;

import io.regmgr.RegistryManager;

import java.lang.ref.WeakReference;
import java.util.Objects;
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
 * <p>References: a task does not keep its manager reachable. It knows its manager through the
 * manager's {@link Owner}, which refers to the manager weakly, so that, as in the original, a
 * manager the application no longer references is closed and collected even while the
 * application still holds some of its tasks. {@link #manager()} then becomes empty; the task
 * stays claimed until that manager's close has detached it (shortly after the collection), and
 * may then be attached elsewhere. A task, or a listener it calls, that keeps a strong reference to
 * its manager keeps that manager alive until {@link RegistryManager#close()}.
 *
 * <p>Threading: the three callbacks run on the manager's event loop, one at a time; they must not
 * block. User-facing callbacks belong on {@link TaskContext#listenerExecutor()}.
 */
public abstract class RegistryTask {
    private final AtomicReference<Owner> owner = new AtomicReference<>();

    /**
     * @return the manager this task is attached to, if any and if it is still referenced: empty
     *     once that manager has been garbage-collected, even before its close has released the task
     */
    public final Optional<RegistryManager> manager() {
        Owner o = owner.get();
        return o == null ? Optional.empty() : o.manager();
    }

    /**
     * Claims this task for a manager; called by {@link RegistryManager#attach} implementations.
     *
     * @param by the owner token of the manager attaching this task
     * @throws IllegalStateException {@code already attached} if claimed by this or another owner
     *     (including one whose manager was collected and whose close has not released it yet)
     */
    public final void claim(Owner by) {
        Objects.requireNonNull(by, "owner");
        if (!owner.compareAndSet(null, by)) {
            throw new IllegalStateException("already attached");
        }
    }

    /**
     * Releases this task from a manager; called by {@link RegistryManager#detach} implementations
     * and by their close.
     *
     * @param by the owner token of the manager detaching this task
     * @throws IllegalStateException {@code not attached to this manager}
     */
    public final void release(Owner by) {
        Objects.requireNonNull(by, "owner");
        if (!owner.compareAndSet(by, null)) {
            throw new IllegalStateException("not attached to this manager");
        }
    }

    /**
     * @param by an owner token
     * @return whether this task is claimed by it now; works after the token's manager was collected
     */
    public final boolean isClaimedBy(Owner by) {
        return by != null && owner.get() == by;
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

    /**
     * A manager as its tasks know it: the token a {@link RegistryManager} implementation claims and
     * releases its tasks with, one per manager, made once and kept by whatever part of the
     * manager outlives its public object (so that the manager can still release its tasks after
     * the public object was collected). It refers to the manager weakly: holding a task, or the
     * token, does not keep the manager reachable. Immutable and thread-safe.
     */
    public static final class Owner {
        private final WeakReference<RegistryManager> manager;
        private final String description;

        /** @param manager the manager this token stands for; referred to weakly */
        public Owner(RegistryManager manager) {
            Objects.requireNonNull(manager, "manager");
            this.manager = new WeakReference<>(manager);
            this.description = manager.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(manager));
        }

        /** @return the manager, unless it was garbage-collected */
        public Optional<RegistryManager> manager() {
            return Optional.ofNullable(manager.get());
        }

        @Override
        public String toString() {
            return "Owner[" + description + (manager.get() == null ? ", collected" : "") + "]";
        }
    }
}
