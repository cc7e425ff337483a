package io.regmgr.runtime.core;

import io.regmgr.RegistryManager;
import io.regmgr.spi.RegistryConnector;

/**
 * Builds {@link RegistryManager}s. Each manager returned is started: it is connecting already.
 *
 * <p>Ownership: a manager built on a connector it was given does not close that connector (the
 * caller made it, the caller closes it, after the manager); it closes what it made itself (its
 * thread pool, and its Vert.x instance unless {@link ManagerOptions.Builder#vertx shared}).
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

    private static RegistryManager start(DefaultRegistryManager manager) {
        manager.start();
        return manager;
    }
}
