package io.regmgr;

/** Where a {@link RegistryManager}'s connection stands. */
public enum ConnectionState {
    /** Trying to connect (the first time, or again after a loss). */
    CONNECTING,
    /** Connected: the registry's events are watched and tasks are started. */
    CONNECTED,
    /** The connection was lost or refused; a retry is scheduled. */
    DISCONNECTED,
    /** The manager was closed. */
    CLOSED
}
