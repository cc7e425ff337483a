package io.regmgr.runtime.core;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * The stages of a registration's updates that the registry does not yet hold, each with the merge
 * number it waits for. Completed on a listener executor, never on the event loop. Thread-safe
 * (lock-free): updates are added from any thread, settled on the manager's context.
 */
final class PendingUpdates {
    private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();

    private record Waiting(long seq, CompletableFuture<Void> done) {
    }

    /**
     * @param seq the merge number the update made
     * @param done completes when the registry holds that merge
     */
    void add(long seq, CompletableFuture<Void> done) {
        queue.add(new Waiting(seq, done));
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

    private void settle(long seq, Throwable failure, Executor executor) {
        for (Iterator<Waiting> it = queue.iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.seq() <= seq) {
                it.remove();
                executor.execute(failure == null ? () -> w.done().complete(null) : () -> w.done().completeExceptionally(failure));
            }
        }
    }
}
