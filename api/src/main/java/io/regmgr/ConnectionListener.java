package io.regmgr;

/**
 * Told of every transition of a manager's {@link ConnectionStatus}, in order, off the event loop:
 * not of each failed attempt while the registry is down (see {@link RegistryManager#onConnection}).
 */
@FunctionalInterface
public interface ConnectionListener {
    /** @param status the new status */
    void onStatus(ConnectionStatus status);
}
