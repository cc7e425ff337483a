package io.regmgr.runtime.core;

import io.regmgr.Filter;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides how one change is read at the lowest cost on the registry, from what the manager knows:
 * the distinct filters asked for and the sizes of their last results and of the last index. A real
 * registry serves one request at a time, a request costing about as much as formatting
 * {@value #LINES_PER_REQUEST} service lines (1.3 ms against 5.7 us, {@code registry-protocol.md},
 * "Cost model of the real registry"). So, in lines:
 * <ul>
 *   <li>filtered finds cost, per distinct filter, {@value #LINES_PER_REQUEST} x its requests + the
 *       lines of its last result (a filter never read: as many as the index), each line counted
 *       once as formatted by the registry and 1/{@value #REGISTRY_LINES_PER_OUR_LINE} more as
 *       parsed and matched by us;</li>
 *   <li>one index read costs {@value #LINES_PER_REQUEST} x its requests + every service's line,
 *       counted the same way (the index's lines are matched against every filter in one pass,
 *       {@link FilterIndex}, so our cost per line does not grow with the filters);</li>
 *   <li>a read's requests are the session's {@link io.regmgr.spi.RegistrySession#requestsPerRead()}
 *       (9P on a fid kept open: 1; a bridge find on a connection opened in advance: 3, the bridge
 *       having walked and opened {@code find} when it accepted the connection, before the change;
 *       a bridge find connection opened when the find starts: 5) plus one per
 *       {@value #BYTES_PER_READ} bytes of result, estimating {@value #BYTES_PER_LINE} bytes a line
 *       (the walk and open of a connection opened in advance are left out: they are not on the
 *       change's critical path; finds beyond the pool's size, at most 16 by default, cost 5, which
 *       the rule does not see);</li>
 * </ul>
 * and the manager reads filtered finds unless they cost more than one index read. One filter alone
 * is always a find (it formats no more than the index); several filters before the index size is
 * known are an index read (which then tells every filter's size). Confined to the manager's context.
 */
final class ReadPlanner {
    /** What one request costs the registry, in service lines formatted. */
    static final long LINES_PER_REQUEST = 228;
    /** Bytes one read carries: the default msize 8216 less the 9P read header. */
    static final long BYTES_PER_READ = 8192;
    /**
     * How many lines we parse and match in the time the registry formats one: 0.36 us a line
     * measured warm on one thread ({@code bash bench/run.sh change} prints it) against the
     * registry's 5.7 us, counted as a quarter of it for an event loop that shares two loaded
     * cores. It is on the change's critical path as the registry's work is.
     */
    static final long REGISTRY_LINES_PER_OUR_LINE = 4;
    /** The estimated length of a service line. */
    static final long BYTES_PER_LINE = 64;
    /** Sizes remembered at most; beyond, they are forgotten (and learnt again from an index read). */
    private static final int MAX_REMEMBERED = 4096;

    private final Filter ours;
    private long indexLines = -1;
    private final Map<Filter, Long> lastLines = new HashMap<>();

    /** @param ours the filter that finds every registration of this manager (its instance token), or null */
    ReadPlanner(Filter ours) {
        this.ours = ours;
    }

    /** @return the filter that finds this manager's own registrations, if it stamps them with a token */
    Optional<Filter> ours() {
        return Optional.ofNullable(ours);
    }

    /**
     * @param filters the distinct filters one change must read
     * @param requestsPerRead what a read costs the registry in requests, beyond its size
     * @return whether one index read costs less than a find per filter
     */
    boolean prefersIndex(Collection<Filter> filters, int requestsPerRead) {
        if (filters.size() <= 1) {
            return false;
        }
        if (indexLines < 0) {
            return true;
        }
        long finds = 0;
        for (Filter f : filters) {
            finds += cost(lastLines.getOrDefault(f, indexLines), requestsPerRead);
        }
        return finds > cost(indexLines, requestsPerRead);
    }

    private static long cost(long lines, int requestsPerRead) {
        return LINES_PER_REQUEST * (requestsPerRead + lines * BYTES_PER_LINE / BYTES_PER_READ)
                + lines + lines / REGISTRY_LINES_PER_OUR_LINE;
    }

    /** @param lines services listed by an index read */
    void indexRead(int lines) {
        indexLines = lines;
    }

    /**
     * @param filter a filter
     * @param lines services its read (or the index filtered by it) listed
     */
    void filterRead(Filter filter, int lines) {
        if (lastLines.size() >= MAX_REMEMBERED && !lastLines.containsKey(filter)) {
            lastLines.clear();
        }
        lastLines.put(filter, (long) lines);
    }
}
