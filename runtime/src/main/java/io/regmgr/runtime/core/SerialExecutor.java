package io.regmgr.runtime.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs its submissions one at a time, in order, on a shared pool: the listener executor of one
 * task. A submission that throws anything (a checked exception thrown sneakily and an
 * {@link Error} included, see {@link UserCode}) is logged with what it was and the next one runs;
 * one that blocks holds back only this executor's queue. Even a {@link VirtualMachineError}, which
 * propagates, leaves the queue drained by a new loop. Thread-safe.
 *
 * <p>One drain loop per burst: the loop takes every queued submission, so what was queued before
 * the pool shut down still runs. A submission made once the pool refuses work (the manager is
 * closed) runs on the common pool instead: late user callbacks (a future's completion) are never
 * dropped and never run on the caller's event loop.
 */
final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final String owner;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param pool where the drain loop runs
     * @param owner what the submissions belong to, for logs
     */
    SerialExecutor(Executor pool, String owner) {
        this.pool = pool;
        this.owner = owner;
    }

    @Override
    public void execute(Runnable command) {
        queue.add(command);
        if (draining.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    private void submitDrain() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            ForkJoinPool.commonPool().execute(this::drain);
        }
    }

    private void drain() {
        boolean finished = false;
        try {
            do {
                Runnable next;
                while ((next = queue.poll()) != null) {
                    runSafely(next);
                }
                draining.set(false);
                // A submission may have been queued after the poll saw an empty queue but before the
                // flag was cleared: whoever wins the flag again drains it.
            } while (!queue.isEmpty() && draining.compareAndSet(false, true));
            finished = true;
        } finally {
            if (!finished) {
                // A VirtualMachineError left this loop: the rest of the queue still gets a drain loop.
                draining.set(false);
                if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
                    submitDrain();
                }
            }
        }
    }

    private void runSafely(Runnable r) {
        try {
            UserCode.run(LOG, () -> "a listener of " + owner + " (" + r + ")", r);
        } finally {
            // A listener that left the interrupt flag set must not disturb the next one.
            Thread.interrupted();
        }
    }

    @Override
    public String toString() {
        return "SerialExecutor[" + owner + ", queued=" + queue.size() + "]";
    }
}
