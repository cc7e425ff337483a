package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;

/**
 * Times and counts one monitor's deliveries for its {@link ManagerObserver}: each delta its
 * listener heard (by kind and origin, and whether the listener threw), and the time from the
 * registry's change event to the return of the last listener call of a live change. Deltas merged
 * while the listener lags keep the earliest change's time. Guarded by the {@link DeltaQueue}'s
 * lock for {@link #offered} and {@link #drained}; the observer is swapped on attach.
 */
final class DeliveryClock {
    private final String monitor;
    private volatile ManagerMetrics metrics;
    /** The change event the pending deltas answer ({@link System#nanoTime()}), 0 when none is timed. */
    private long changeAt;

    /** @param monitor the monitor's name for metrics */
    DeliveryClock(String monitor) {
        this.monitor = monitor;
    }

    /** @param attachedTo the metrics of the manager the monitor is attached to */
    void observe(ManagerMetrics attachedTo) {
        this.metrics = attachedTo;
    }

    /** @param delta queued with a non-empty batch of this origin; under the queue's lock */
    void offered(ChangeOrigin origin) {
        ManagerMetrics m = metrics;
        if (changeAt == 0 && origin == ChangeOrigin.LIVE && m != null) {
            changeAt = m.lastChange();
        }
    }

    /** The queue is empty: the last listener call of the timed change returned; under the queue's lock. */
    void drained() {
        ManagerMetrics m = metrics;
        if (changeAt != 0 && m != null) {
            m.observer().changeDelivered(monitor, System.nanoTime() - changeAt);
        }
        changeAt = 0;
    }

    /**
     * @param delta what the listener was told
     * @param ok whether it returned normally
     */
    void delivered(ViewDiff.Delta delta, boolean ok) {
        ManagerMetrics m = metrics;
        if (m != null) {
            String kind = delta.before() == null ? "added" : delta.after() == null ? "removed" : "modified";
            m.observer().delivered(monitor, kind, delta.origin(), !ok);
        }
    }
}
