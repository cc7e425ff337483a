package io.regmgr.runtime.core;

/**
 * A built-in task, told by its {@link DefaultRegistryManager} when it is taken and let go, besides
 * the start/stop/refresh every task gets. Both calls run on the manager's context: {@code attached}
 * before the first {@code start}, {@code detached} after the last {@code stop}.
 */
interface ManagedTask {
    /** @param hooks what the manager offers the task while attached */
    void attached(TaskHooks hooks);

    /** The task was detached (by the user, by itself, or by {@code close()}). */
    void detached();
}
