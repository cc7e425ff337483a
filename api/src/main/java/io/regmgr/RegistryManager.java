package io.regmgr;

import io.regmgr.spi.RegistryTask;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Keeps a connection to one registry and every attached task working whenever the registry is
 * reachable: services registered, lookups answered, monitors current. When the connection breaks
 * or the registry restarts it reconnects with backoff and restores every task.
 *
 * <p>Thread-safe: every method may be called from any thread. Listeners never run on the
 * manager's event loop. {@link #attach} and {@link #detach} check and claim the task at once, on the
 * caller's thread (so their errors are thrown there); the task is then started or stopped on the
 * manager's thread shortly after; calls from one thread take effect in their order.
 *
 * <p>Lifecycle: {@link #close()} (or try-with-resources) is the normal way to end a manager. As in
 * the original Inferno::RegMgr, losing every reference to a manager also ends it: implementations
 * may close a manager the application no longer references, as {@code close()} would (every task
 * stopped and detached, services unregistered, the connection closed), once the garbage collector
 * finds it unreachable, at an unspecified time (possibly never, if the heap has no need to collect
 * it). The built-in one does. Holding an attached task does not keep its manager alive
 * ({@link RegistryTask#manager()} then becomes empty); a listener or task that itself refers to the
 * manager does, until {@code close()}.
 */
public interface RegistryManager extends AutoCloseable {
    /**
     * Attaches a task: it starts as soon as the registry is reachable (at once if it is).
     *
     * @param task the task
     * @throws IllegalStateException {@code already attached} if attached to this or another manager
     */
    void attach(RegistryTask task);

    /**
     * Detaches a task: it stops and keeps its state, so it may be attached again.
     *
     * @param task the task
     * @throws IllegalStateException {@code not attached to this manager}
     */
    void detach(RegistryTask task);

    /**
     * Registers a service and keeps it registered, through reconnects and registry restarts.
     *
     * @param entry name and attributes
     * @return the attached registration; detach it to unregister
     */
    ServiceRegistration register(ServiceEntry entry);

    /**
     * Watches the services matching {@code filter}.
     *
     * @param filter attribute/value pairs, {@code *} matching any value
     * @param listener told of every addition, modification and removal, in order
     * @return the attached monitor
     */
    Monitor monitor(Filter filter, MonitorListener listener);

    /**
     * Watches the services matching {@code filter}, under a name of the application's: the
     * monitor's {@link Monitor#name()}, which names it in metrics (the {@code regmgr.monitor}
     * attribute). Monitors may share a name; their figures are then added up. The default
     * implementation checks the name and ignores it (an implementation without names).
     *
     * @param name ASCII letters, digits, {@code -} and {@code _} (e.g. {@code peers})
     * @param filter attribute/value pairs, {@code *} matching any value
     * @param listener told of every addition, modification and removal, in order
     * @return the attached monitor
     * @throws InvalidEntryException if the name breaks that rule
     */
    default Monitor monitor(String name, Filter filter, MonitorListener listener) {
        RegistryNames.checkMonitorName(name);
        return monitor(filter, listener);
    }

    /**
     * Finds services once. If the registry is unreachable, waits for it (across reconnects).
     *
     * @param filter attribute/value pairs, {@code *} matching any value; {@link Filter#all()} for all
     * @return the matching services
     */
    CompletionStage<List<ServiceEntry>> lookup(Filter filter);

    /** @return the state of the connection now */
    ConnectionStatus status();

    /**
     * @return the registry this manager reaches, as its connector describes it now: the transport
     *     and address, and what the connector adapted since it was made (for 9P, an msize lowered after
     *     a size refusal: {@code 9P2000 tcp!reg!6675 (msize 8216, lowered from 65560 after the registry
     *     answered 'stat buffer too small')}); for logs and health data
     */
    String registry();

    /**
     * Listens to the connection's status. Told of transitions, not of attempts: an outage is a few
     * calls however long it lasts (a {@code DISCONNECTED} when the session is lost and at most one
     * more per new kind of cause, a {@code CONNECTING} once the registry is found back, then
     * {@code CONNECTED}, which carries no cause); {@link #status()} still counts every failed
     * attempt and holds the last error. Bounded and coalescing: a listener that keeps up is told
     * of every transition, in order; while it is slow or blocked at most one call is pending for it, and
     * that call tells it the latest status, so changes meanwhile (a brief disconnection included)
     * are coalesced into it, never queued one by one. It never hears an older status after a newer
     * one, nor the same status twice in a row.
     *
     * @param listener told of transitions of {@link #status()}, in order, off the event loop
     * @return a handle that removes the listener
     */
    Subscription onConnection(ConnectionListener listener);

    /**
     * Detaches every task (unregistering services), closes the connection and releases what the
     * manager created. Idempotent. The normal way to end a manager; one no longer referenced may
     * be closed by the garbage collector instead, at an unspecified time.
     */
    @Override
    void close();
}
