package io.regmgr.runtime.core;

import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What a {@link DefaultRegistryManager} offers a built-in task while it is attached, beyond the
 * {@link io.regmgr.spi.TaskContext} of a session: a way onto the manager's context from any
 * thread, the task's listener executor before any session opens, and the manager's bookkeeping of
 * the names it registered in the current session.
 */
interface TaskHooks {
    /** @return the task's serial executor for user callbacks; any thread */
    Executor listenerExecutor();

    /** @param action run on the manager's context; any thread */
    void onContext(Runnable action);

    /**
     * @return the names this manager's registrations hold in the current session (empty and
     *     throw-away when none is open); on the context only
     */
    Set<String> sessionNames();

    /** @return what the manager's connector reaches, for messages */
    String describeRegistry();
}
