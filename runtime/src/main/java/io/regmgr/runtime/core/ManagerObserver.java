package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;

/**
 * What a manager tells about itself, for metrics: connections, restores, registrations, monitor
 * deliveries and registry reads. The manager calls it at the place each event happens and never
 * lets it fail the manager: an implementation must be quick, must not block and should not throw.
 * Values that are state rather than events (connection state, registrations by state, monitors'
 * views and backlogs) are read from {@link ObservedManager} when a reader asks.
 *
 * <p>Every method has an empty default, and {@link #NONE} is the default of
 * {@link ManagerOptions}: with it the manager does nothing more than call empty methods.
 * Implementations must be thread-safe: events come from the manager's context and from its
 * listener executors. Durations are in nanoseconds.
 */
public interface ManagerObserver {
    /** Observes nothing. */
    ManagerObserver NONE = new ManagerObserver() {
    };

    /** Makes one observer per manager. */
    @FunctionalInterface
    interface Factory {
        /** No metrics: every manager gets {@link ManagerObserver#NONE}. */
        Factory NONE = manager -> ManagerObserver.NONE;

        /**
         * Called once as a manager is built.
         *
         * @param manager what the manager is (registry, transport) and its state, readable from any thread
         * @return its observer, closed when the manager closes
         */
        ManagerObserver open(ObservedManager manager);
    }

    /**
     * A session opened.
     *
     * @param reconnect whether an earlier session of this manager had opened (a reconnect)
     */
    default void connected(boolean reconnect) {
    }

    /**
     * After a reconnect, every registration had its first answer and the first index read (if a
     * task asked for one) settled.
     *
     * @param nanos since the previous session was lost
     */
    default void restored(long nanos) {
    }

    /**
     * An attempt to reach the registry ended: a reconnect probe (a connector with a cheap probe,
     * {@link io.regmgr.spi.RegistryConnector#probe()}: 9P's TCP connect while the registry is down)
     * or a session setup (the first connection and every reconnection; for a connector without a
     * cheap probe, such as the line bridge, the setup is also the probe).
     *
     * @param kind {@code probe} or {@code setup}
     * @param ok whether the registry accepted the probe, or the session opened
     */
    default void attempted(String kind, boolean ok) {
    }

    /** A liveness probe went unanswered within its deadline (the session ends). */
    default void probeFailed() {
    }

    /**
     * The registry refused a registration.
     *
     * @param reason {@code duplicate_name}, {@code conflict}, {@code registry_error}, {@code connection} or {@code timeout}
     */
    default void registrationRefused(String reason) {
    }

    /**
     * A registration was repaired while connected.
     *
     * @param kind {@code absent} (registered again) or {@code rewritten} (our attributes written back)
     */
    default void registrationRepaired(String kind) {
    }

    /**
     * A listener returned from one delta.
     *
     * @param monitor the monitor's name ({@link io.regmgr.Monitor#name()})
     * @param kind {@code added}, {@code modified} or {@code removed}
     * @param origin what the delta came from
     * @param failed whether the listener threw
     */
    default void delivered(String monitor, String kind, ChangeOrigin origin, boolean failed) {
    }

    /**
     * A monitor's listener has heard every delta of a live change.
     *
     * @param monitor the monitor's name ({@link io.regmgr.Monitor#name()})
     * @param nanos from the registry's change event to the return of the last listener call
     */
    default void changeDelivered(String monitor, long nanos) {
    }

    /**
     * A read of the registry ended.
     *
     * @param kind {@code index} or {@code find}
     * @param nanos from the request to its answer
     * @param services the services it returned (0 when it failed)
     * @param bytes the size of its answer in bytes (9P: {@code Rread} payloads; the line bridge:
     *     the find port's answer), or -1 when unknown (it failed, or a connector of the application's)
     * @param failed whether it failed
     */
    default void read(String kind, long nanos, int services, long bytes, boolean failed) {
    }

    /** The manager closed: release what {@link Factory#open} registered. */
    default void close() {
    }
}
