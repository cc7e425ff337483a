package io.regmgr.cdi;

import io.regmgr.ConnectionStatus;

import java.util.Objects;
import java.util.Optional;

/**
 * The manager lost its connection to the registry; it is reconnecting with backoff. Fired as a CDI
 * event (no qualifier) once per loss, only after a {@link RegistryConnected}, and not when the
 * application stops. Immutable.
 *
 * @param status the connection's status then, with the cause of the loss
 */
public record RegistryDisconnected(ConnectionStatus status) {
    /** @throws NullPointerException if {@code status} is null */
    public RegistryDisconnected {
        Objects.requireNonNull(status, "status");
    }

    /** @return why the connection was lost, if known */
    public Optional<Throwable> cause() {
        return status.lastError();
    }
}
