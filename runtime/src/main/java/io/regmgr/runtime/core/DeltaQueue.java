package io.regmgr.runtime.core;

import io.regmgr.MonitorListener;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The deltas a monitor's listener has still to hear, at most one per service: a delta for a
 * service that already has one pending is merged into it ({@link ViewDiff.Delta#then}), so a
 * listener that falls behind costs memory bounded by the number of services it watches, not by
 * the number of changes, and the deltas it does hear still replay to the monitor's view. Pending
 * deltas keep the order in which their services first changed. Delivered one at a time, in order,
 * by one drain loop on the task's serial executor; whatever the listener throws is logged
 * ({@link UserCode}) and delivery goes on.
 *
 * <p>Thread-safe: deltas are offered on the manager's context and delivered on the executor.
 */
final class DeltaQueue {
    private static final System.Logger LOG = System.getLogger(DeltaQueue.class.getName());

    private final MonitorListener listener;
    private final String owner;
    private final DeliveryClock clock;
    private final Map<String, ViewDiff.Delta> pending = new LinkedHashMap<>();
    private boolean draining;
    private int peak;

    /**
     * @param listener told of the deltas
     * @param owner the monitor, for logs
     * @param clock counts and times the deliveries
     */
    DeltaQueue(MonitorListener listener, String owner, DeliveryClock clock) {
        this.listener = listener;
        this.owner = owner;
        this.clock = clock;
    }

    /**
     * Queues {@code deltas} (merging each into its service's pending one) and starts a drain loop
     * on {@code executor} unless one runs.
     *
     * @param deltas the deltas of one sync, in order
     * @param executor the task's serial executor
     */
    void offer(List<ViewDiff.Delta> deltas, Executor executor) {
        boolean start;
        synchronized (pending) {
            for (ViewDiff.Delta d : deltas) {
                ViewDiff.Delta earlier = pending.get(d.name());
                ViewDiff.Delta merged = earlier == null ? d : earlier.then(d);
                if (merged == null) {
                    pending.remove(d.name());
                } else {
                    pending.put(d.name(), merged); // an existing key keeps its place
                }
            }
            peak = Math.max(peak, pending.size());
            if (!deltas.isEmpty()) {
                clock.offered(deltas.get(0).origin());
            }
            start = !draining && !pending.isEmpty();
            draining |= start;
        }
        if (start) {
            executor.execute(UserCode.described("delivery to the listener of " + owner, this::drain));
        }
    }

    /** @return how many deltas wait now (at most one per service) */
    int backlog() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** @return the largest backlog seen */
    int peakBacklog() {
        synchronized (pending) {
            return peak;
        }
    }

    private void drain() {
        ViewDiff.Delta next;
        while ((next = poll()) != null) {
            ViewDiff.Delta delta = next;
            clock.delivered(delta, UserCode.run(LOG, () -> "listener " + listener + " of " + owner + " on " + delta,
                    () -> delta.tell(listener)));
        }
    }

    private ViewDiff.Delta poll() {
        synchronized (pending) {
            Iterator<ViewDiff.Delta> it = pending.values().iterator();
            if (!it.hasNext()) {
                draining = false;
                clock.drained();
                return null;
            }
            ViewDiff.Delta first = it.next();
            it.remove();
            return first;
        }
    }
}
