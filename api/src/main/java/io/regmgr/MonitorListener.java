package io.regmgr;

/**
 * Receives a {@link Monitor}'s deltas, one at a time and in order, off the manager's event loop.
 * Whatever a listener throws (checked exceptions thrown sneakily and {@link Error}s included; only
 * a {@link VirtualMachineError} propagates) is logged with the delta, and the listener still gets
 * every later delta. A listener that falls behind has at most one delta per service waiting: a
 * service's later change is merged into its waiting delta, so what the listener hears still
 * replays to the view, in fewer steps. Every method defaults to doing nothing.
 */
public interface MonitorListener {
    /**
     * @param service a service that now matches
     * @param origin the initial sync, a live change, or a resync after a reconnect
     */
    default void added(ServiceEntry service, ChangeOrigin origin) {
    }

    /**
     * @param before the service as it was
     * @param after the service as it is now (same name, other attributes)
     * @param origin the initial sync, a live change, or a resync after a reconnect
     */
    default void modified(ServiceEntry before, ServiceEntry after, ChangeOrigin origin) {
    }

    /**
     * @param service the service as it was last seen; it is gone or no longer matches
     * @param origin a live change, or a resync after a reconnect
     */
    default void removed(ServiceEntry service, ChangeOrigin origin) {
    }
}
