package io.regmgr.cdi;

import io.regmgr.ChangeOrigin;
import io.regmgr.ServiceEntry;

import java.time.Instant;

/**
 * A change seen by a monitor, fired as a CDI event qualified with {@link Monitored @Monitored(monitor)}.
 * Observe this type for every kind of change, or one of its records for one kind.
 *
 * <p>Guarantees: one monitor's changes are delivered in order, one at a time, and applied in order
 * to an empty map they give the monitor's view; they are delivered to synchronous observers
 * ({@code @Observes}) on a thread of the manager's pool, never on its event loop; an observer that
 * throws is logged and the other observers still get the event. Changes of different monitors may
 * be delivered concurrently. Immutable.
 */
public sealed interface ServiceChange permits ServiceAdded, ServiceModified, ServiceRemoved {
    /** @return the name of the monitor that saw the change */
    String monitor();

    /** @return the service as it is now (for a removal: as it was last seen) */
    ServiceEntry service();

    /** @return the initial sync, a live change, or a resync after a reconnect */
    ChangeOrigin origin();

    /** @return when the monitor saw the change */
    Instant at();

    /** @return the service's name */
    default String name() {
        return service().name();
    }
}
