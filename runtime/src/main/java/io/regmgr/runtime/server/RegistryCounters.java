package io.regmgr.runtime.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live counters of an embedded registry, updated on its thread and readable from any thread.
 * Counts accumulate across restarts of the same {@link EmbeddedRegistry}.
 */
public final class RegistryCounters {
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong openConnections = new AtomicLong();
    private final AtomicLongArray requests = new AtomicLongArray(256);
    private final AtomicLong indexReads = new AtomicLong();
    private final AtomicLong findReads = new AtomicLong();
    private final AtomicLong bridgeConnections = new AtomicLong();
    private final AtomicLong openBridgeConnections = new AtomicLong();
    private final AtomicLong bridgeFindConnections = new AtomicLong();
    private final AtomicLong bridgeFindFilters = new AtomicLong();
    private final AtomicLong bridgeFindsOpenedBeforeChange = new AtomicLong();
    private final AtomicLong protocolErrors = new AtomicLong();
    private final AtomicLong exportRefusals = new AtomicLong();
    private final AtomicLong linesFormatted = new AtomicLong();
    private final AtomicLong simulatedRequests = new AtomicLong();
    private final AtomicLong simulatedNanos = new AtomicLong();

    RegistryCounters() {
    }

    void connectionOpened(boolean bridge) {
        connections.incrementAndGet();
        openConnections.incrementAndGet();
        if (bridge) {
            bridgeConnections.incrementAndGet();
            openBridgeConnections.incrementAndGet();
        }
    }

    void connectionClosed(boolean bridge) {
        openConnections.decrementAndGet();
        if (bridge) {
            openBridgeConnections.decrementAndGet();
        }
    }

    void bridgeFindAccepted() {
        bridgeFindConnections.incrementAndGet();
    }

    void bridgeFindFilter(boolean openedBeforeChange) {
        bridgeFindFilters.incrementAndGet();
        if (openedBeforeChange) {
            bridgeFindsOpenedBeforeChange.incrementAndGet();
        }
    }

    void request(int type) {
        requests.incrementAndGet(type & 0xff);
    }

    void exportRefusal() {
        exportRefusals.incrementAndGet();
    }

    void indexRead() {
        indexReads.incrementAndGet();
    }

    void findRead() {
        findReads.incrementAndGet();
    }

    void linesFormatted(long lines) {
        linesFormatted.addAndGet(lines);
    }

    void simulated(long requests, long nanos) {
        simulatedRequests.addAndGet(requests);
        simulatedNanos.addAndGet(nanos);
    }

    void protocolError() {
        protocolErrors.incrementAndGet();
    }

    /**
     * @return 9P requests that the {@link RegistryProfile#EXPORTED} profile's export layer answered
     *     itself (a fid not yet bound or opened by a request that arrived with it), never reaching
     *     the registry: not in {@link #requests(int)}
     */
    public long exportRefusals() {
        return exportRefusals.get();
    }

    /** @return connections accepted so far, 9P and bridge */
    public long connections() {
        return connections.get();
    }

    /** @return connections open now, 9P and bridge */
    public long openConnections() {
        return openConnections.get();
    }

    /** @return connections accepted on the line bridge's three ports */
    public long bridgeConnections() {
        return bridgeConnections.get();
    }

    /** @return connections open now on the line bridge's three ports */
    public long openBridgeConnections() {
        return openBridgeConnections.get();
    }

    /** @return connections accepted on the line bridge's {@code find} port (each opens {@code find} at once) */
    public long bridgeFindConnections() {
        return bridgeFindConnections.get();
    }

    /** @return filters received on the line bridge's {@code find} port (each answered, then the connection closed) */
    public long bridgeFindFilters() {
        return bridgeFindFilters.get();
    }

    /**
     * @return of {@link #bridgeFindFilters()}, those received on a connection accepted before the
     *     registry's latest change (a connection opened in advance, whose walk and open were charged
     *     before the change that its filter reads)
     */
    public long bridgeFindsOpenedBeforeChange() {
        return bridgeFindsOpenedBeforeChange.get();
    }

    /**
     * @param type a 9P T-message type number, e.g. 116 for Tread
     * @return how many requests of that type the registry has served (or parked, e.g. an event read); requests
     *     the export layer of the {@link RegistryProfile#EXPORTED} profile answered itself are in
     *     {@link #exportRefusals()}
     */
    public long requests(int type) {
        return requests.get(type & 0xff);
    }

    /** @return every 9P request received */
    public long totalRequests() {
        long sum = 0;
        for (int i = 0; i < requests.length(); i++) {
            sum += requests.get(i);
        }
        return sum;
    }

    /** @return reads of {@code index} that regenerated its text (offset 0), from any front end */
    public long indexReads() {
        return indexReads.get();
    }

    /** @return reads of {@code find} that evaluated a filter (offset 0), from any front end */
    public long findReads() {
        return findReads.get();
    }

    /**
     * @return service lines formatted by reads at offset 0: every named service for an
     *     {@code index} read, the matching ones for a {@code find} (9P and bridge), as a real
     *     registry formats them on each such read
     */
    public long linesFormatted() {
        return linesFormatted.get();
    }

    /**
     * @return registry requests charged by the {@link CostModel} (9P requests, and the bridge's
     *     requests as {@link CostModel} counts them); 0 without a simulated cost
     */
    public long simulatedRequests() {
        return simulatedRequests.get();
    }

    /** @return the simulated service time charged so far, in nanoseconds; 0 without a simulated cost */
    public long simulatedNanos() {
        return simulatedNanos.get();
    }

    /** @return connections closed because the peer broke the protocol or a limit */
    public long protocolErrors() {
        return protocolErrors.get();
    }

    @Override
    public String toString() {
        return "RegistryCounters[connections=" + connections() + ", open=" + openConnections()
                + ", requests=" + totalRequests() + ", indexReads=" + indexReads() + ", findReads=" + findReads()
                + ", linesFormatted=" + linesFormatted() + ", protocolErrors=" + protocolErrors()
                + ", exportRefusals=" + exportRefusals() + ", simulatedRequests=" + simulatedRequests()
                + ", simulatedNanos=" + simulatedNanos() + ", bridgeConnections=" + bridgeConnections()
                + ", openBridgeConnections=" + openBridgeConnections() + ", bridgeFindConnections="
                + bridgeFindConnections() + ", bridgeFindFilters=" + bridgeFindFilters() + "]";
    }
}
