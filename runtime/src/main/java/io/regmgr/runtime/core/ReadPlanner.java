package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides how one change is read at the lowest cost on the registry, from what the manager knows:
 * the distinct filters asked for and the sizes of their last results, of the last index and of the
 * covers. A real registry serves one request at a time, a request costing about as much as
 * formatting {@value #LINES_PER_REQUEST} service lines (1.3 ms against 5.7 us, {@code
 * registry-protocol.md}, "Cost model of the real registry"). So, in lines:
 * <ul>
 *   <li>a read costs {@value #LINES_PER_REQUEST} x its requests + the lines it lists, each line
 *       counted once as formatted by the registry and 1/{@value #REGISTRY_LINES_PER_OUR_LINE} more
 *       as parsed and matched by us;</li>
 *   <li>its requests are the session's {@link io.regmgr.spi.RegistrySession#requestsPerRead()}
 *       (9P on a fid kept open: 1; a bridge find connection opened when the find starts: 5; one
 *       opened in advance, {@code bridgeFindPool}: 3, the bridge having walked and opened
 *       {@code find} when it accepted the connection, before the change) plus one per
 *       {@value #BYTES_PER_READ} bytes of result, estimating {@value #BYTES_PER_LINE} bytes a line
 *       (with a pool, finds beyond its size cost 5, which the rule does not see);</li>
 *   <li>a filter's find lists the lines of its last result (a filter never read: as many as the
 *       index); the index lists every service (its lines are matched against every filter in one
 *       pass, {@link FilterIndex}, so our cost per line does not grow with the filters);</li>
 *   <li>a <em>cover</em> is the find {@code A *} for an attribute {@code A} carried (with a value
 *       or {@code *}) by at least two of the filters: it lists exactly the services that carry
 *       {@code A}, which holds everything those filters match, so each of them is answered from it
 *       here, in the same one pass. Its size is known from the last index read (which counts the
 *       services carrying each such attribute) or from its own last read; unknown, it counts as the
 *       index.</li>
 * </ul>
 * The rule: one filter alone is a find (it formats no more than anything else); several filters
 * before the index size is known are an index read (which tells every filter's and every cover's
 * size). Otherwise covers are taken greedily: the cover that saves most (the finds of its filters
 * not yet covered, less its own cost; ties to the attribute first in {@link String#compareTo}
 * order) serves every filter of its group not yet covered, then the next, while one saves anything,
 * at most {@value #MAX_COVERS} per change; a cover no smaller than the index is never taken (the
 * index lists the same lines and answers every filter), nor, where a read costs one request (9P on
 * a fid kept open), a cover longer than one read ({@value #BYTES_PER_READ} bytes: its lines' bytes as
 * the last index read or its own read showed them, else {@value #BYTES_PER_LINE} a line): its
 * further reads are round trips one after the other, while the finds it would replace go out
 * together, which these units (a request counted as a round trip) do not see; measured under the
 * simulated cost model with half of 1,000 / 10,000 other services carrying the attribute, such a
 * cover took 9P from 0.42x to 0.66x and from 0.14x to 0.65x of the baseline. A bridge find streams
 * its whole answer on one connection, so there a cover of any size below the index's may be taken. The remaining filters are finds. Then if
 * that whole plan costs more than one index read, the index is read instead. Planning costs
 * about the filters' pairs x {@value #MAX_COVERS}, so 1,000 distinct filters plan in linear time;
 * and a plan never costs more than the index read it is compared with.
 *
 * <p>Sizes are what the last read saw: a cover that has grown since is found out when it is read
 * (and the next change plans with its new size). A cover whose size is unknown because no index
 * read has counted it since its attribute was first shared (filters attached one by one after the
 * index was read) is not taken until an index read counts it, nor is one whose read failed (say,
 * its answer grew past the session's maximum: {@link #readFailed}). Confined to the manager's context.
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
    /** Covers taken at most for one change: bounds the planning's work (each round is one pass over the filters' pairs). */
    static final int MAX_COVERS = 8;
    /** Sizes (and attributes counted) remembered at most; beyond, they are forgotten (and learnt again from an index read). */
    private static final int MAX_REMEMBERED = 4096;

    private final Filter ours;
    private long indexLines = -1;
    private final Map<Filter, Long> lastLines = new HashMap<>();
    /** Attribute -> the size of its cover, as the last index read or the cover's own read saw it. */
    private final Map<String, CoverSize> covers = new HashMap<>();
    /** Attributes shared by several filters of a plan: an index read counts the services carrying each. */
    private final Set<String> shared = new LinkedHashSet<>();

    /** @param ours the filter that finds every registration of this manager (its instance token), or null */
    ReadPlanner(Filter ours) {
        this.ours = ours;
    }

    /** @return the filter that finds this manager's own registrations, if it stamps them with a token */
    Optional<Filter> ours() {
        return Optional.ofNullable(ours);
    }

    /**
     * @param filters the distinct filters one change must read (not {@link Filter#all()})
     * @param requestsPerRead what a read costs the registry in requests, beyond its size
     * @return the cheapest reads by the rule above
     */
    ReadPlan plan(Collection<Filter> filters, int requestsPerRead) {
        if (filters.size() <= 1) {
            return new ReadPlan(false, Map.of(), List.copyOf(filters));
        }
        Map<String, List<Filter>> groups = sharedAttributes(filters);
        remember(shared, groups.keySet());
        if (indexLines < 0) {
            return ReadPlan.INDEX;
        }
        Map<Filter, Long> findCosts = new HashMap<>();
        for (Filter f : filters) {
            findCosts.put(f, cost(lastLines.getOrDefault(f, indexLines), requestsPerRead));
        }
        Map<Filter, Filter> covered = chooseCovers(groups, findCosts, requestsPerRead);
        long total = 0;
        for (Filter cover : new LinkedHashSet<>(covered.values())) {
            total += covers.get(coverAttribute(cover)).cost(requestsPerRead);
        }
        List<Filter> finds = new ArrayList<>();
        for (Filter f : filters) {
            if (!covered.containsKey(f)) {
                finds.add(f);
                total += findCosts.get(f);
            }
        }
        return total > cost(indexLines, requestsPerRead) ? ReadPlan.INDEX : new ReadPlan(false, covered, finds);
    }

    /** @return each attribute carried by at least two of {@code filters}, with those filters, in the filters' order */
    private static Map<String, List<Filter>> sharedAttributes(Collection<Filter> filters) {
        Map<String, List<Filter>> byAttribute = new LinkedHashMap<>();
        for (Filter f : filters) {
            List<Map.Entry<String, String>> pairs = f.pairs();
            for (int i = 0; i < pairs.size(); i++) {
                String attribute = pairs.get(i).getKey();
                if (!carriedBefore(pairs, i, attribute)) {
                    byAttribute.computeIfAbsent(attribute, a -> new ArrayList<>()).add(f);
                }
            }
        }
        byAttribute.values().removeIf(group -> group.size() < 2);
        return byAttribute;
    }

    private static boolean carriedBefore(List<Map.Entry<String, String>> pairs, int end, String attribute) {
        for (int i = 0; i < end; i++) {
            if (pairs.get(i).getKey().equals(attribute)) {
                return true;
            }
        }
        return false;
    }

    /** The greedy choice: each round takes the cover that saves most, while one saves anything. */
    private Map<Filter, Filter> chooseCovers(Map<String, List<Filter>> groups, Map<Filter, Long> findCosts,
            int requestsPerRead) {
        Map<String, Long> coverCosts = new HashMap<>();
        for (String attribute : groups.keySet()) {
            CoverSize size = covers.get(attribute);
            if (size != null && size.lines() < indexLines && (requestsPerRead > 1 || size.bytes() <= BYTES_PER_READ)) {
                coverCosts.put(attribute, size.cost(requestsPerRead));
            }
        }
        Map<Filter, Filter> covered = new LinkedHashMap<>();
        for (int round = 0; round < MAX_COVERS && !coverCosts.isEmpty(); round++) {
            String best = null;
            long bestSaving = 0;
            for (Map.Entry<String, Long> c : coverCosts.entrySet()) {
                long saving = -c.getValue();
                for (Filter f : groups.get(c.getKey())) {
                    saving += covered.containsKey(f) ? 0 : findCosts.get(f);
                }
                if (saving > bestSaving || saving == bestSaving && best != null && c.getKey().compareTo(best) < 0) {
                    best = c.getKey();
                    bestSaving = saving;
                }
            }
            if (best == null) {
                break;
            }
            Filter cover = ReadPlan.cover(best);
            groups.get(best).forEach(f -> covered.putIfAbsent(f, cover));
            coverCosts.remove(best);
        }
        return covered;
    }

    private static long cost(long lines, int requestsPerRead) {
        return cost(lines, lines * BYTES_PER_LINE, requestsPerRead);
    }

    private static long cost(long lines, long bytes, int requestsPerRead) {
        return LINES_PER_REQUEST * (requestsPerRead + bytes / BYTES_PER_READ) + lines + lines / REGISTRY_LINES_PER_OUR_LINE;
    }

    /**
     * A cover's size as a read saw it.
     *
     * @param lines the services carrying its attribute
     * @param bytes the bytes of their lines, as counted from the entries, else estimated at
     *     {@value #BYTES_PER_LINE} a line
     */
    private record CoverSize(long lines, long bytes) {
        /** @return its cost by the rule, its reads counted from {@code bytes} */
        long cost(int requestsPerRead) {
            return ReadPlanner.cost(lines, bytes, requestsPerRead);
        }
    }

    /** @return about how many bytes the registry's line for {@code e} takes (quoting left out) */
    static long lineBytes(ServiceEntry e) {
        long n = e.name().length() + 1L;
        for (Map.Entry<String, String> a : e.attributes().asMap().entrySet()) {
            n += a.getKey().length() + a.getValue().length() + 2L;
        }
        return n;
    }

    /**
     * Learns the index's size, and for each attribute shared by the filters of a plan so far, how
     * many services carry it (the size of its cover). Costs one look-up per service and per shared
     * attribute or attribute of the service, whichever are fewer.
     *
     * @param services what an index read listed
     */
    void indexRead(List<ServiceEntry> services) {
        indexLines = services.size();
        if (shared.isEmpty()) {
            return;
        }
        // per shared attribute: services carrying it, the bytes of their lines
        Map<String, long[]> counts = new HashMap<>();
        shared.forEach(a -> counts.put(a, new long[2]));
        for (ServiceEntry e : services) {
            Map<String, String> attributes = e.attributes().asMap();
            long[] bytes = {-1};
            if (attributes.size() < shared.size()) {
                for (String a : attributes.keySet()) {
                    count(counts.get(a), e, bytes);
                }
            } else {
                counts.forEach((a, n) -> {
                    if (attributes.containsKey(a)) {
                        count(n, e, bytes);
                    }
                });
            }
        }
        counts.forEach((a, n) -> remember(covers, a, new CoverSize(n[0], n[1])));
    }

    /** Counts {@code e} in {@code n} (services, bytes), its line's bytes computed once into {@code bytes[0]}. */
    private static void count(long[] n, ServiceEntry e, long[] bytes) {
        if (n != null) {
            if (bytes[0] < 0) {
                bytes[0] = lineBytes(e);
            }
            n[0]++;
            n[1] += bytes[0];
        }
    }

    /**
     * @param filter a filter
     * @param lines services its read (or the index or a cover filtered by it) listed; when the
     *     filter is a cover ({@code A *} alone), the size of that cover too (its bytes estimated)
     */
    void filterRead(Filter filter, int lines) {
        remember(lastLines, filter, (long) lines);
        String attribute = coverAttribute(filter);
        if (attribute != null) {
            remember(covers, attribute, new CoverSize(lines, lines * BYTES_PER_LINE));
        }
    }

    /**
     * @param filter a filter that was read
     * @param services what its read listed; when the filter is a cover ({@code A *} alone), the
     *     size of that cover too, in lines and bytes
     */
    void filterRead(Filter filter, List<ServiceEntry> services) {
        remember(lastLines, filter, (long) services.size());
        String attribute = coverAttribute(filter);
        if (attribute != null) {
            remember(covers, attribute, new CoverSize(services.size(),
                    services.stream().mapToLong(ReadPlanner::lineBytes).sum()));
        }
    }

    /**
     * A read of {@code filter} failed. If it was a cover (say, its answer grew past the session's
     * maximum), its size is forgotten, so it is not taken again until an index read counts it.
     *
     * @param filter the filter whose read failed
     */
    void readFailed(Filter filter) {
        String attribute = coverAttribute(filter);
        if (attribute != null) {
            covers.remove(attribute);
        }
    }

    /** @return the attribute if {@code filter} is a cover ({@code A *} alone), else null */
    private static String coverAttribute(Filter filter) {
        List<Map.Entry<String, String>> pairs = filter.pairs();
        return pairs.size() == 1 && Filter.WILDCARD.equals(pairs.get(0).getValue()) ? pairs.get(0).getKey() : null;
    }

    private static <K, V> void remember(Map<K, V> sizes, K key, V size) {
        if (sizes.size() >= MAX_REMEMBERED && !sizes.containsKey(key)) {
            sizes.clear();
        }
        sizes.put(key, size);
    }

    private static void remember(Set<String> set, Collection<String> attributes) {
        if (set.size() + attributes.size() > MAX_REMEMBERED) {
            set.clear();
        }
        set.addAll(attributes);
    }
}
