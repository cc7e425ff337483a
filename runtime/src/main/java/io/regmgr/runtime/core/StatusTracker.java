package io.regmgr.runtime.core;

import io.regmgr.ConnectionListener;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Subscription;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * A manager's {@link ConnectionStatus}: changed on the manager's context, readable from any
 * thread, each change told to the listeners in order on one serial executor.
 *
 * <p>{@code lastContact} moves on every answer and event without telling the listeners: they hear
 * of changes of state, not of traffic.
 */
final class StatusTracker {
    private final Clock clock;
    private final Executor dispatch;
    private final Listeners<ConnectionStatus> listeners = new Listeners<>();
    private volatile ConnectionStatus status;
    private volatile Instant lastContact;
    private boolean everConnected;

    /**
     * @param clock the time source
     * @param dispatch a serial executor, off the event loop, for the listeners
     */
    StatusTracker(Clock clock, Executor dispatch) {
        this.clock = clock;
        this.dispatch = dispatch;
        this.status = new ConnectionStatus(ConnectionState.CONNECTING, null, 0, 0, clock.instant(), null);
    }

    /** @return the status now, with the latest contact; any thread */
    ConnectionStatus current() {
        ConnectionStatus s = status;
        Instant contact = lastContact;
        return contact == s.lastContact() ? s
                : new ConnectionStatus(s.state(), s.cause(), s.attempt(), s.reconnects(), s.since(), contact);
    }

    /** The registry answered something; any thread. */
    void touch() {
        lastContact = clock.instant();
    }

    /** @param listener told of every change of state @return its handle; any thread */
    Subscription subscribe(ConnectionListener listener) {
        return listeners.add(listener::onStatus);
    }

    /** A connection attempt starts. */
    void connecting() {
        ConnectionStatus s = status;
        set(ConnectionState.CONNECTING, s.cause(), s.attempt(), s.reconnects());
    }

    /** A session opened. */
    void connected() {
        touch();
        ConnectionStatus s = status;
        set(ConnectionState.CONNECTED, s.cause(), 0, everConnected ? s.reconnects() + 1 : s.reconnects());
        everConnected = true;
    }

    /**
     * An attempt failed, or the session ended.
     *
     * @param cause why
     * @param failedAttempt whether a connection attempt failed (counted in {@code attempt})
     * @return the number of failed attempts since the last success
     */
    int disconnected(Throwable cause, boolean failedAttempt) {
        ConnectionStatus s = status;
        int attempt = failedAttempt ? s.attempt() + 1 : 0;
        set(ConnectionState.DISCONNECTED, cause, attempt, s.reconnects());
        return attempt;
    }

    /** The manager closed. */
    void closed() {
        ConnectionStatus s = status;
        set(ConnectionState.CLOSED, s.cause(), s.attempt(), s.reconnects());
    }

    private void set(ConnectionState state, Throwable cause, int attempt, long reconnects) {
        ConnectionStatus s = status;
        if (s.state() == state && s.cause() == cause && s.attempt() == attempt && s.reconnects() == reconnects) {
            return; // nothing changed: listeners hear only of changes
        }
        ConnectionStatus next = new ConnectionStatus(state, cause, attempt, reconnects, clock.instant(), lastContact);
        status = next;
        listeners.fire(dispatch, next);
    }
}
