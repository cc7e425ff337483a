package io.regmgr.runtime.core;

import io.regmgr.Subscription;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A list of listeners of one kind, each told of an event on a serial executor, in order.
 * Thread-safe: listeners may be added and removed from any thread.
 *
 * @param <T> what listeners are told
 */
final class Listeners<T> {
    private final List<Consumer<T>> list = new CopyOnWriteArrayList<>();

    /**
     * @param listener the listener
     * @return a handle that removes it
     */
    Subscription add(Consumer<? super T> listener) {
        Objects.requireNonNull(listener, "listener");
        // Wrap so that adding one listener twice gives two independent subscriptions.
        Consumer<T> entry = listener::accept;
        list.add(entry);
        return () -> list.remove(entry);
    }

    /**
     * Tells every listener of {@code event}, each as its own submission to {@code executor}, so one
     * that throws does not keep the others from hearing it.
     *
     * @param executor a serial executor, off the event loop
     * @param event what happened
     */
    void fire(Executor executor, T event) {
        for (Consumer<T> l : list) {
            executor.execute(() -> l.accept(event));
        }
    }
}
