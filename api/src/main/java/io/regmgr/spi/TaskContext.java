package io.regmgr.spi;

import io.regmgr.Filter;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What a {@link RegistryTask} gets from its manager for one session: the session itself, the
 * index read shared by every task for the current change, scheduling on the manager's thread and
 * an executor for user code. Valid until the task's {@link RegistryTask#stop()}; methods are
 * called on the manager's thread.
 */
public interface TaskContext {
    /** @return the open session */
    RegistrySession session();

    /**
     * @return the manager the task is attached to, unless it was garbage-collected (its close is
     *     then under way and will stop the task). Do not keep it in a field of the task: a task
     *     attached to a manager that refers to it keeps the manager alive until {@code close()}.
     */
    Optional<RegistryManager> manager();

    /**
     * The registry's index for the current change (or for the session's start): read once, on first
     * request, and shared by every task that asks. This is how any number of monitors costs one
     * read per change.
     *
     * @return every registered service
     */
    CompletionStage<List<ServiceEntry>> index();

    /**
     * The services matching {@code filter} for the current change (or for the session's start),
     * shared by every task that asks with the same filter. The manager reads them at the lowest
     * cost on the registry: one filtered find per distinct filter, or one index read that every
     * filter is answered from, whichever costs the registry less. The default filters
     * {@link #index()}.
     *
     * @param filter the services wanted
     * @return the services matching it
     */
    default CompletionStage<List<ServiceEntry>> find(Filter filter) {
        return index().thenApply(all -> all.stream().filter(e -> filter.matches(e.attributes())).toList());
    }

    /** @return the registry's event version this call reflects, or -1 if the transport does not know it yet */
    long version();

    /**
     * @return whether this session found a restarted registry: its version went backwards or its
     *     start time changed since the previous session
     */
    boolean registryRestarted();

    /**
     * Runs {@code action} on the manager's thread after {@code delay}, unless the session has ended
     * or the task was stopped by then.
     *
     * @param delay how long to wait
     * @param action what to run
     */
    void schedule(Duration delay, Runnable action);

    /**
     * @param attempt the number of the retry, from 1
     * @return how long to wait before that retry: the manager's exponential backoff with full jitter
     */
    Duration retryDelay(int attempt);

    /**
     * @return an executor for user callbacks: off the event loop, running this task's submissions
     *     one at a time and in order; a callback that throws is logged and does not stop the others
     */
    Executor listenerExecutor();

    /** Detaches this task from its manager, as a lookup does once answered. */
    void detachSelf();
}
