package io.regmgr.runtime.server;

import io.vertx.core.Context;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Serves the requests of every connection one at a time under a {@link CostModel}: each job runs
 * when its turn comes and the next one when its simulated service time ({@code requests} plus the
 * lines it formatted) has passed; what it writes to any connection meanwhile is held and leaves
 * after the job's latency more. Without a simulated cost every job runs at once and nothing is held. Confined to the
 * registry's context (the timer thread only hops back onto it).
 */
final class ServiceQueue {
    private final CostModel model;
    private final RegistryCounters counters;
    private final Context context;
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private final ScheduledExecutorService timer;
    /** Output of the job being served, or null between jobs. */
    private List<Runnable> held;
    private boolean busy;
    private boolean stopped;
    /**
     * When the job being served ends on the model's clock (System.nanoTime). The next job starts
     * then, not when the timer thread gets round to it: a late timer (a loaded machine) would
     * otherwise add its lateness to every request and the simulated registry would serve fewer
     * requests per second than the model says.
     */
    private long freeAt;

    /** A job; {@code work} returns how many registry requests it stood for, known only once served. */
    private record Job(long latencyNanos, IntSupplier work, long submitted) {
    }

    /**
     * @param model the costs; {@link CostModel#NONE} serves at once
     * @param counters where formatted lines are counted (and the simulated time added)
     * @param context the registry's context
     */
    ServiceQueue(CostModel model, RegistryCounters counters, Context context) {
        this.model = model;
        this.counters = counters;
        this.context = context;
        this.timer = model.simulates() ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "regmgr-registry-cost-model");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Serves {@code work} after every job submitted before it; its output leaves after the
     * model's reply latency.
     *
     * @param requests how many registry requests it stands for
     * @param work what the registry does, on its context
     */
    void submit(int requests, Runnable work) {
        submit(requests, model.replyLatency().toNanos(), work);
    }

    /**
     * @param requests how many registry requests it stands for
     * @param latencyNanos how long after its service its output leaves
     * @param work what the registry does, on its context
     */
    void submit(int requests, long latencyNanos, Runnable work) {
        submit(latencyNanos, () -> {
            work.run();
            return requests;
        });
    }

    /**
     * As {@link #submit(int, Runnable)}, for work whose cost is known only when it is served (a
     * request that {@code export} answers itself costs the registry nothing).
     *
     * @param work what the registry does, on its context; returns how many registry requests it stood for
     */
    void submitCounted(IntSupplier work) {
        submit(model.replyLatency().toNanos(), work);
    }

    private void submit(long latencyNanos, IntSupplier work) {
        if (timer == null) {
            work.getAsInt();
            return;
        }
        if (stopped) {
            return;
        }
        jobs.add(new Job(latencyNanos, work, System.nanoTime()));
        if (!busy) {
            next();
        }
    }

    /** @return the costs it simulates */
    CostModel model() {
        return model;
    }

    /**
     * Writes now, or when the job being served is done.
     *
     * @param write a write to a connection
     */
    void output(Runnable write) {
        if (held != null) {
            held.add(write);
        } else {
            write.run();
        }
    }

    /** Drops the queued jobs and held output (the registry stops); later submissions do nothing. */
    void stop() {
        stopped = true;
        jobs.clear();
        held = null;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void next() {
        Job job = jobs.poll();
        busy = job != null;
        if (job == null || stopped) {
            return;
        }
        long linesBefore = counters.linesFormatted();
        List<Runnable> out = new ArrayList<>();
        held = out;
        int requests = 0;
        try {
            requests = job.work().getAsInt();
        } finally {
            // even if the job failed (then charged as nothing but its lines): the queue goes on
            held = null;
            long nanos = model.nanos(requests, counters.linesFormatted() - linesBefore);
            counters.simulated(requests, nanos);
            long now = System.nanoTime();
            // served from when the previous job ended, or from its arrival if the registry was idle then
            freeAt = Math.max(job.submitted(), freeAt) + nanos;
            timer.schedule(() -> context.runOnContext(v -> next()), Math.max(0, freeAt - now), TimeUnit.NANOSECONDS);
            timer.schedule(() -> context.runOnContext(v -> send(out)), Math.max(0, freeAt + job.latencyNanos() - now),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void send(List<Runnable> out) {
        if (!stopped) {
            out.forEach(Runnable::run);
        }
    }
}
