package io.regmgr.cdi;

import io.regmgr.ChangeOrigin;
import io.regmgr.ServiceEntry;

import java.time.Instant;
import java.util.Objects;

/**
 * A service now matches a monitor's filter: it was registered, changed to match, or was there at
 * the monitor's first sync ({@link ChangeOrigin#INITIAL_SYNC}). Immutable.
 *
 * @param monitor the monitor's name
 * @param service the service
 * @param origin the initial sync, a live change, or a resync after a reconnect
 * @param at when the monitor saw it
 */
public record ServiceAdded(String monitor, ServiceEntry service, ChangeOrigin origin, Instant at)
        implements ServiceChange {
    /** @throws NullPointerException if a component is null */
    public ServiceAdded {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(at, "at");
    }
}
