package io.regmgr;

/** Told of every change of a manager's {@link ConnectionStatus}, in order, off the event loop. */
@FunctionalInterface
public interface ConnectionListener {
    /** @param status the new status */
    void onStatus(ConnectionStatus status);
}
