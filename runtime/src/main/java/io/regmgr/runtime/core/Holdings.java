package io.regmgr.runtime.core;

import io.regmgr.ServiceEntry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the registry held, by name, as one read saw it: the input of the registrations'
 * reconciliation (each compares what it wants with what is held under its name). Today it is
 * built from the index read that a change costs anyway (shared with the monitors); a read of
 * filtered finds for our names would build the same. Immutable.
 *
 * <p>Each read is numbered when it is sent ({@link #nextRead()}), so that a registration ignores
 * what a read sent before its own last write could not have seen.
 *
 * @param read the number of the read, taken when it was sent
 * @param byName the services held, by name
 */
record Holdings(long read, Map<String, ServiceEntry> byName) {
    private static final AtomicLong READS = new AtomicLong();

    /**
     * @param read the number of the read
     * @param services what it returned
     * @return the holdings
     */
    static Holdings of(long read, List<ServiceEntry> services) {
        Map<String, ServiceEntry> map = new HashMap<>(Math.max(16, services.size() * 2));
        for (ServiceEntry e : services) {
            map.put(e.name(), e);
        }
        return new Holdings(read, Map.copyOf(map));
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
