package io.regmgr.cdi;

import io.regmgr.ChangeOrigin;
import io.regmgr.ServiceEntry;

import java.time.Instant;
import java.util.Objects;

/**
 * A service that matched a monitor's filter and still does has other attributes. Immutable.
 *
 * @param monitor the monitor's name
 * @param before the service as it was
 * @param after the service as it is now (same name)
 * @param origin a live change, or a resync after a reconnect
 * @param at when the monitor saw it
 */
public record ServiceModified(String monitor, ServiceEntry before, ServiceEntry after, ChangeOrigin origin, Instant at)
        implements ServiceChange {
    /** @throws NullPointerException if a component is null */
    public ServiceModified {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(at, "at");
    }

    /** @return {@link #after()} */
    @Override
    public ServiceEntry service() {
        return after;
    }
}
