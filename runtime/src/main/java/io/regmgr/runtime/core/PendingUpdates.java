package io.regmgr.runtime.core;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The stages of a registration's updates that the registry does not yet hold, each with the merge
 * number it waits for. Completed on a listener executor, never on the event loop. Thread-safe:
 * updates are added from any thread, settled on the manager's context. A merge and the stage
 * waiting for it are added under this object's lock, and settling takes the same lock, so the
 * context can never settle a merge it has read before the stage waiting for it is in the queue.
 */
final class PendingUpdates {
    private final Queue<Waiting> queue = new ArrayDeque<>();

    private record Waiting(long seq, CompletableFuture<Void> done) {
    }

    /**
     * Merges an update and queues the stage waiting for it, as one step.
     *
     * @param merge makes the merge and returns its number
     * @param done completes when the registry holds that merge
     */
    synchronized void add(LongSupplier merge, CompletableFuture<Void> done) {
        queue.add(new Waiting(merge.getAsLong(), done));
    }

    /**
     * @param seq the registry holds every merge up to this one
     * @param executor where to complete the stages
     */
    void completeUpTo(long seq, Executor executor) {
        settle(seq, null, executor);
    }

    /**
     * @param seq the registry refused the merges up to this one
     * @param failure its refusal
     * @param executor where to fail the stages
     */
    void failUpTo(long seq, Throwable failure, Executor executor) {
        settle(seq, failure, executor);
    }

    /**
     * @param failure why none will be sent
     * @param executor where to fail the stages
     */
    void failAll(Throwable failure, Executor executor) {
        settle(Long.MAX_VALUE, failure, executor);
    }

    private synchronized void settle(long seq, Throwable failure, Executor executor) {
        for (Iterator<Waiting> it = queue.iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.seq() <= seq) {
                it.remove();
                executor.execute(failure == null ? () -> w.done().complete(null) : () -> w.done().completeExceptionally(failure));
            }
        }
    }
}
