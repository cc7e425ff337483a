package io.regmgr.cdi;

import io.regmgr.ConnectionStatus;

import java.util.Objects;

/**
 * The manager connected to the registry: the first time, or again after a loss. Fired as a CDI
 * event (no qualifier) each time the connection comes up, never twice in a row; the application's
 * services and monitors are being restored when it is delivered. Immutable.
 *
 * @param status the connection's status then ({@link ConnectionStatus#reconnects()} tells a
 *     reconnect from the first connection)
 */
public record RegistryConnected(ConnectionStatus status) {
    /** @throws NullPointerException if {@code status} is null */
    public RegistryConnected {
        Objects.requireNonNull(status, "status");
    }
}
