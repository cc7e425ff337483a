package io.regmgr.runtime.cdi;

import io.regmgr.ConnectionListener;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;

/**
 * Turns the manager's status changes into up and down events: up each time the connection comes
 * up, down each time it is lost (not when the manager closes). The manager calls it from one
 * thread at a time, in order.
 */
final class ConnectionEvents implements ConnectionListener {
    private final EventSink sink;
    /** Volatile: successive calls may come from different threads of the manager's pool. */
    private volatile boolean up;

    ConnectionEvents(EventSink sink) {
        this.sink = sink;
    }

    @Override
    public void onStatus(ConnectionStatus status) {
        if (status.isConnected() && !up) {
            up = true;
            sink.connected(new RegistryConnected(status));
        } else if (!status.isConnected() && up) {
            up = false;
            if (status.state() != ConnectionState.CLOSED) {
                sink.disconnected(new RegistryDisconnected(status));
            }
        }
    }
}
