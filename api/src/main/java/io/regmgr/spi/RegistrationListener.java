package io.regmgr.spi;

/**
 * Told when the registry drops a {@link Registration} that the client did not unregister: the
 * session ended, the bridge closed the connection, a write found the service removed. Called on
 * the transport's thread; must not block.
 */
@FunctionalInterface
public interface RegistrationListener {
    /** A listener that ignores every notice. */
    RegistrationListener NONE = cause -> { };

    /**
     * @param cause why the registration is gone
     */
    void dropped(Throwable cause);
}
