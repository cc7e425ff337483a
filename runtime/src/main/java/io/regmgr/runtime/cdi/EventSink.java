package io.regmgr.runtime.cdi;

import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.ServiceChange;

/**
 * Where {@link RegistryRuntime} hands the events it produces: a CDI extension fires them to the
 * application's observers. Called off the manager's event loop, from one thread at a time per
 * monitor (and one for the connection); an implementation isolates observers from each other.
 */
public interface EventSink {
    /** @param change what a monitor saw, in that monitor's order */
    void serviceChanged(ServiceChange change);

    /** @param event the connection came up */
    void connected(RegistryConnected event);

    /** @param event the connection was lost */
    void disconnected(RegistryDisconnected event);
}
