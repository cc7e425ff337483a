package io.regmgr.runtime.core;

import io.regmgr.RegistryManager;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.spi.RegistryConnector;

/**
 * Builds {@link RegistryManager}s. Each manager returned is started: it is connecting already.
 *
 * <p>Ownership: a manager built on a connector it was given ({@link #create}) does not close that
 * connector: the caller made it, the caller closes it, after the manager. A manager built by
 * {@link #styx} or {@link #bridge} made its connector and closes it. Every manager closes what it
 * made itself: its thread pool, and its Vert.x instance unless {@link ManagerOptions.Builder#vertx
 * shared}. To run the manager and its connector on one Vert.x instance, give both options the same.
 *
 * <p>Closing: {@code close()} (or try-with-resources, as below) is the normal way to end a manager.
 * A manager the application no longer references is closed the same way, connector and Vert.x
 * included as above, once the garbage collector finds it unreachable, at an unspecified time, as in
 * the original Inferno::RegMgr; attached tasks the application still holds do not keep it alive
 * (see {@link DefaultRegistryManager}).
 *
 * <pre>{@code
 * try (RegistryManager manager = RegistryManagers.styx(
 *         ConnectorOptions.builder("tcp!registry!6675").build(), ManagerOptions.defaults())) {
 *     ServiceRegistration me = manager.register(ServiceEntry.of("tcp!me!80", "proto", "http"));
 *     Monitor dbs = manager.monitor(Filter.of("kind", "db"), listener);
 *     ...
 * }
 * }</pre>
 */
public final class RegistryManagers {
    private RegistryManagers() {
    }

    /**
     * @param connector how to reach the registry; not closed by the manager
     * @return a started manager with the {@link ManagerOptions#defaults() defaults}
     */
    public static RegistryManager create(RegistryConnector connector) {
        return create(connector, ManagerOptions.defaults());
    }

    /**
     * @param connector how to reach the registry; not closed by the manager
     * @param options how the manager behaves
     * @return a started manager
     */
    public static RegistryManager create(RegistryConnector connector, ManagerOptions options) {
        return start(new DefaultRegistryManager(connector, false, options));
    }

    /**
     * @param connector how to reach the registry over 9P2000; the manager makes the
     *     {@link StyxConnector} and closes it
     * @param options how the manager behaves
     * @return a started manager
     */
    public static RegistryManager styx(ConnectorOptions connector, ManagerOptions options) {
        return owning(new StyxConnector(connector), options);
    }

    /**
     * @param connector how to reach the registry's line bridge; the manager makes the
     *     {@link BridgeConnector} and closes it
     * @param options how the manager behaves
     * @return a started manager
     */
    public static RegistryManager bridge(ConnectorOptions connector, ManagerOptions options) {
        return owning(new BridgeConnector(connector), options);
    }

    /** A manager that owns {@code connector}: if it cannot be made, the connector is closed too. */
    private static RegistryManager owning(RegistryConnector connector, ManagerOptions options) {
        try {
            return start(new DefaultRegistryManager(connector, true, options));
        } catch (RuntimeException | Error failure) {
            closeAfter(failure, connector);
            throw failure;
        }
    }

    /** Starts {@code manager}; one that cannot start is closed (releasing what it made) before the failure is thrown. */
    private static RegistryManager start(DefaultRegistryManager manager) {
        try {
            manager.start();
        } catch (RuntimeException | Error failure) {
            closeAfter(failure, manager);
            throw failure;
        }
        return manager;
    }

    /** Closes {@code made} after {@code failure}, adding what the close throws to it as suppressed. */
    private static void closeAfter(Throwable failure, AutoCloseable made) {
        try {
            made.close();
        } catch (Exception also) {
            failure.addSuppressed(also);
        }
    }
}
