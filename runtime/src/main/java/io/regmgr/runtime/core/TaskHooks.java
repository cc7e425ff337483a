package io.regmgr.runtime.core;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a {@link DefaultRegistryManager} offers a built-in task while it is attached, beyond the
 * {@link io.regmgr.spi.TaskContext} of a session: a way onto the manager's context from any
 * thread, the task's listener executor before any session opens, and the manager's bookkeeping of
 * the names it registered in the current session.
 */
interface TaskHooks {
    /**
     * @param hooks the hooks a built-in task got, or null if it was never attached to a
     *     {@link DefaultRegistryManager}
     * @param task the task, for the message
     * @return {@code hooks}
     * @throws IllegalStateException if null: the task was attached to another manager implementation
     */
    static TaskHooks require(TaskHooks hooks, Object task) {
        if (hooks == null) {
            throw new IllegalStateException(task + " is a built-in task of DefaultRegistryManager: it can only be"
                    + " started by one (it was attached to another RegistryManager implementation)");
        }
        return hooks;
    }

    /** @return the task's serial executor for user callbacks; any thread */
    Executor listenerExecutor();

    /** @param action run on the manager's context; any thread */
    void onContext(Runnable action);

    /**
     * @return the names this manager's registrations hold in the current session (empty and
     *     throw-away when none is open); on the context only
     */
    Set<String> sessionNames();

    /**
     * Holds the session's index reads back until the returned release runs: a registration
     * starting holds them until its first answer. On the context only.
     *
     * @return the release (idempotent); does nothing when no session is open
     */
    Runnable holdIndex();

    /**
     * Runs {@code start} now if fewer registrations of the current session than the manager's
     * {@link ManagerOptions#restoreInFlight() bound} are under way, else once one ends. On the
     * context only.
     *
     * @param start told the release, to run (on the context) once the registration was answered;
     *     not run at all if the session ends first
     */
    void registering(Consumer<Runnable> start);

    /**
     * @param action run on the context now, or once the holds of {@link #holdIndex()} are
     *     released (a lookup made as a session starts then sees this manager's own services)
     */
    void whenUnheld(Runnable action);

    /**
     * @return whether the task is still claimed by the manager (false once detached, or released
     *     by the manager's close); any thread
     */
    boolean claimed();

    /**
     * @param everyName false for the current change's shared read of our own names (the find on the
     *     instance token, when the manager stamps one), true for an index read of every name
     * @param sentAfter 0 to take the current change's shared read; else the read (find or index,
     *     whatever {@code everyName} and the plan choose) must have been sent after the read of that
     *     number (the current one is shared if it was, else the registry is read again)
     * @return what the registry holds by name (completes on the context; fails when no session is
     *     open); on the context only
     */
    CompletionStage<Holdings> holdings(boolean everyName, long sentAfter);

    /** @return the manager's metrics; any thread */
    ManagerMetrics metrics();

    /** @return what the manager's connector reaches, for messages */
    String describeRegistry();
}
