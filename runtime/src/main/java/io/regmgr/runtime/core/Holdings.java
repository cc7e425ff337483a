package io.regmgr.runtime.core;

import io.regmgr.ServiceEntry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the registry held, by name, as one read saw it: the input of the registrations'
 * reconciliation (each compares what it wants with what is held under its name). With an instance
 * token it is built from one find on the token, shared by every registration (and by a monitor with
 * the same filter); without one, from the index. Immutable.
 *
 * <p>Each read is numbered when it is sent ({@link #nextRead()}), so that a registration ignores
 * what a read sent before its own last write could not have seen.
 *
 * @param read the number of the read, taken when it was sent
 * @param byName the services held, by name
 * @param complete whether every name is in it (an index read); a find on the instance token lists
 *     only our own services, so a name missing from it may still be held by another party
 */
record Holdings(long read, Map<String, ServiceEntry> byName, boolean complete) {
    private static final AtomicLong READS = new AtomicLong();

    /**
     * @param read the number of the read
     * @param services what it returned
     * @param complete whether it was a read of every name
     * @return the holdings
     */
    static Holdings of(long read, List<ServiceEntry> services, boolean complete) {
        Map<String, ServiceEntry> map = new HashMap<>(Math.max(16, services.size() * 2));
        for (ServiceEntry e : services) {
            map.put(e.name(), e);
        }
        return new Holdings(read, Map.copyOf(map), complete);
    }

    /** @return the number of a read about to be sent; any thread */
    static long nextRead() {
        return READS.incrementAndGet();
    }

    /** @return the number of the last read sent so far: later reads have larger ones; any thread */
    static long lastRead() {
        return READS.get();
    }

    /**
     * @param name a service name
     * @return what is held under it, if anything
     */
    Optional<ServiceEntry> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
