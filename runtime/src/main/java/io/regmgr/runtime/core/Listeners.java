package io.regmgr.runtime.core;

import io.regmgr.Subscription;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A list of status listeners of one kind, each told of the latest status on a serial executor.
 * Thread-safe: listeners may be added and removed from any thread.
 *
 * <p>Bounded, coalescing: each listener has at most one submission queued, which tells it the
 * latest status when it runs. A listener that keeps up hears every change, in order; one that is
 * slow (or blocked) hears, once it runs again, the latest status only: the changes meanwhile are
 * coalesced, never queued one by one (a status is a state, not a log of events). It never hears a
 * status twice in a row, nor an older one after a newer one.
 *
 * @param <T> what listeners are told
 */
final class Listeners<T> {
    private final List<Entry<T>> list = new CopyOnWriteArrayList<>();

    /** One listener and the status it has yet to be told, if any. */
    private static final class Entry<T> {
        final Consumer<? super T> listener;
        final AtomicReference<T> pending = new AtomicReference<>();

        Entry(Consumer<? super T> listener) {
            this.listener = listener;
        }

        void offer(Executor executor, T event) {
            if (pending.getAndSet(event) == null) { // else the queued submission tells this one instead
                executor.execute(this::deliver);
            }
        }

        private void deliver() {
            T latest = pending.getAndSet(null);
            if (latest != null) {
                listener.accept(latest);
            }
        }

        @Override
        public String toString() {
            return "status listener " + listener;
        }
    }

    /**
     * @param listener the listener
     * @return a handle that removes it
     */
    Subscription add(Consumer<? super T> listener) {
        Objects.requireNonNull(listener, "listener");
        // A new entry each time: adding one listener twice gives two independent subscriptions.
        Entry<T> entry = new Entry<>(listener);
        list.add(entry);
        return () -> list.remove(entry);
    }

    /**
     * Tells every listener of {@code event}, each as its own submission to {@code executor} (so one
     * that throws does not keep the others from hearing it), coalesced with what it has yet to hear.
     *
     * @param executor a serial executor, off the event loop
     * @param event what the status is now
     */
    void fire(Executor executor, T event) {
        Objects.requireNonNull(event, "event");
        for (Entry<T> e : list) {
            e.offer(executor, event);
        }
    }
}
