package io.regmgr.runtime.core;

import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.Subscription;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A registration's status and its listeners: set on the manager's context, read from any thread;
 * each change (and only a change) is told to every listener on the task's serial executor.
 */
final class StatusCell {
    private static final RegistrationStatus DETACHED = new RegistrationStatus(RegistrationState.DETACHED, null, 0);

    private final Listeners<RegistrationStatus> listeners = new Listeners<>();
    private volatile RegistrationStatus current = DETACHED;

    /** @return the status now; any thread */
    RegistrationStatus get() {
        return current;
    }

    /** @return the state now; any thread */
    RegistrationState state() {
        return current.state();
    }

    /**
     * @param listener told of every later change; any thread
     * @return a handle that removes it
     */
    Subscription subscribe(Consumer<RegistrationStatus> listener) {
        return listeners.add(listener);
    }

    /**
     * @param next the new status; nothing happens if it equals the current one
     * @param executor where the listeners are told, or null to tell none (the task is not attached)
     */
    void set(RegistrationStatus next, Executor executor) {
        RegistrationStatus before = current;
        if (before.state() == next.state() && before.error() == next.error() && before.attempts() == next.attempts()) {
            return;
        }
        current = next;
        if (executor != null) {
            listeners.fire(executor, next);
        }
    }
}
