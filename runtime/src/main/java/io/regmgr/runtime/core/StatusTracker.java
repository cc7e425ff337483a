package io.regmgr.runtime.core;

import io.regmgr.ConnectionListener;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Subscription;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A manager's {@link ConnectionStatus}: changed on the manager's context, readable from any
 * thread, each change told to the listeners in order on one serial executor.
 *
 * <p>{@code lastContact} moves on every answer and event without telling the listeners: they hear
 * of changes of state, not of traffic.
 *
 * <p>Listeners hear of transitions only, so that an outage costs them a bounded number of calls
 * however long it lasts: a change of state, except an attempt's {@code CONNECTING} that is not
 * {@linkplain #connecting(boolean) announced}; while disconnected, a failed attempt only if its
 * cause is of a kind not yet told during this outage (see {@link #kind(Throwable)}). Every failed
 * attempt still counts in {@link #current()}'s {@code attempt} and cause.
 */
final class StatusTracker {
    private final Clock clock;
    private final Executor dispatch;
    private final Listeners<ConnectionStatus> listeners = new Listeners<>();
    private volatile ConnectionStatus status;
    private volatile Instant lastContact;
    private boolean everConnected;
    /** The status the listeners were last told (confined to the manager's context, as the changes). */
    private ConnectionStatus published;
    /** The kinds of cause told to the listeners since the last session opened. */
    private final Set<String> toldKinds = new HashSet<>();

    /**
     * @param clock the time source
     * @param dispatch a serial executor, off the event loop, for the listeners
     */
    StatusTracker(Clock clock, Executor dispatch) {
        this.clock = clock;
        this.dispatch = dispatch;
        this.status = new ConnectionStatus(ConnectionState.CONNECTING, null, 0, 0, clock.instant(), null);
        this.published = status;
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

    /**
     * A connection attempt starts.
     *
     * @param announce whether the listeners hear of it (the registry was found back); otherwise only
     *        {@link #current()} says {@code CONNECTING}, and the listeners still hear the last status
     */
    void connecting(boolean announce) {
        ConnectionStatus s = status;
        set(ConnectionState.CONNECTING, s.cause(), s.attempt(), s.reconnects(), announce);
    }

    /** A session opened: connected, with no cause. */
    void connected() {
        touch();
        toldKinds.clear();
        ConnectionStatus s = status;
        set(ConnectionState.CONNECTED, null, 0, everConnected ? s.reconnects() + 1 : s.reconnects(), true);
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
        boolean tell = published.state() != ConnectionState.DISCONNECTED || !toldKinds.contains(kind(cause));
        set(ConnectionState.DISCONNECTED, cause, attempt, s.reconnects(), tell);
        return attempt;
    }

    /** The manager closed. */
    void closed() {
        ConnectionStatus s = status;
        set(ConnectionState.CLOSED, s.cause(), s.attempt(), s.reconnects(), true);
    }

    /**
     * @param tell whether the listeners hear of it (when the state differs from what they heard last)
     */
    private void set(ConnectionState state, Throwable cause, int attempt, long reconnects, boolean tell) {
        ConnectionStatus s = status;
        if (s.state() == state && s.cause() == cause && s.attempt() == attempt && s.reconnects() == reconnects) {
            return; // nothing changed: listeners hear only of changes
        }
        Instant since = s.state() == state ? s.since() : clock.instant();
        ConnectionStatus next = new ConnectionStatus(state, cause, attempt, reconnects, since, lastContact);
        status = next;
        if (tell && (published.state() != state || state == ConnectionState.DISCONNECTED)) {
            if (state == ConnectionState.DISCONNECTED) {
                toldKinds.add(kind(cause));
            }
            published = next;
            listeners.fire(dispatch, next);
        }
    }

    /**
     * The kind of a cause: the classes of its chain (a refused connection, a timeout, an unknown
     * host, a lost session differ), not its message, which names ports and counts.
     *
     * @param cause a cause, or null
     * @return its kind
     */
    static String kind(Throwable cause) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause(), depth++) {
            b.append(t.getClass().getName()).append('<');
        }
        return b.toString();
    }
}
