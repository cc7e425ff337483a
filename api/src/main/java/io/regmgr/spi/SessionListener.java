package io.regmgr.spi;

/**
 * Receives the events of one {@link RegistrySession}. Called on the transport's thread, in order;
 * implementations must return quickly and must not block.
 */
public interface SessionListener {
    /**
     * The registry changed (a service was named, updated or removed). Changes are coalesced: one
     * call may stand for several.
     *
     * @param version the registry's event version after the change; it restarts from 1 when the
     *     registry restarts
     */
    void changed(long version);

    /**
     * The session ended. Called once.
     *
     * @param cause why: a {@link io.regmgr.RegistryConnectionException} for a lost connection, a
     *     {@link io.regmgr.RegistryTimeoutException} for a failed liveness probe, a
     *     {@link io.regmgr.ProtocolViolationException} for a misbehaving peer; null when the client
     *     closed it
     */
    void closed(Throwable cause);
}
