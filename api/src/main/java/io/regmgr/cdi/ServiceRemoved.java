package io.regmgr.cdi;

import io.regmgr.ChangeOrigin;
import io.regmgr.ServiceEntry;

import java.time.Instant;
import java.util.Objects;

/**
 * A service no longer matches a monitor's filter: it was unregistered, its owner's connection
 * ended, or it changed so that it no longer matches. Immutable.
 *
 * @param monitor the monitor's name
 * @param service the service as it was last seen
 * @param origin a live change, or a resync after a reconnect
 * @param at when the monitor saw it
 */
public record ServiceRemoved(String monitor, ServiceEntry service, ChangeOrigin origin, Instant at)
        implements ServiceChange {
    /** @throws NullPointerException if a component is null */
    public ServiceRemoved {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(at, "at");
    }
}
