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

/**
 * Answers many filters from one listing (the index) in one pass, without testing every service
 * against every filter: the filters are indexed by their first pair, so a service is tested only
 * against the filters whose first attribute it carries with a value they accept (that value, or
 * {@code *}). The cost is about services x distinct first attributes (usually one), plus the
 * services that match; testing each filter against the whole listing would be services x filters
 * (1,000,000 tests for 100 monitors on a registry of 10,000). The empty filter matches every
 * service. Immutable once built; not thread-safe to build, safe to use from one thread.
 */
final class FilterIndex {
    /** First attribute -> first value -> the filters that start with that pair. */
    private final Map<String, Map<String, List<Filter>>> exact = new HashMap<>();
    /** First attribute -> the filters that start with that attribute and {@code *}. */
    private final Map<String, List<Filter>> wildcard = new HashMap<>();
    private final List<Filter> filters;

    /** @param filters the filters to answer (duplicates are answered once) */
    FilterIndex(Collection<Filter> filters) {
        this.filters = List.copyOf(new LinkedHashSet<>(filters));
        for (Filter f : this.filters) {
            if (f.isAll()) {
                continue;
            }
            Map.Entry<String, String> first = f.pairs().get(0);
            if (Filter.WILDCARD.equals(first.getValue())) {
                wildcard.computeIfAbsent(first.getKey(), k -> new ArrayList<>()).add(f);
            } else {
                exact.computeIfAbsent(first.getKey(), k -> new HashMap<>())
                        .computeIfAbsent(first.getValue(), k -> new ArrayList<>()).add(f);
            }
        }
    }

    /**
     * @param services a listing, in the registry's order
     * @return for each filter, the services of {@code services} it matches, in their order (an
     *     empty list for a filter that matches none)
     */
    Map<Filter, List<ServiceEntry>> split(List<ServiceEntry> services) {
        Map<Filter, List<ServiceEntry>> out = new LinkedHashMap<>();
        for (Filter f : filters) {
            out.put(f, f.isAll() ? services : new ArrayList<>());
        }
        for (ServiceEntry e : services) {
            Map<String, String> attrs = e.attributes().asMap();
            for (Map.Entry<String, Map<String, List<Filter>>> byAttr : exact.entrySet()) {
                String value = attrs.get(byAttr.getKey());
                if (value != null) {
                    addIfMatching(byAttr.getValue().get(value), e, attrs, out);
                }
            }
            for (Map.Entry<String, List<Filter>> byAttr : wildcard.entrySet()) {
                if (attrs.containsKey(byAttr.getKey())) {
                    addIfMatching(byAttr.getValue(), e, attrs, out);
                }
            }
        }
        return out;
    }

    private static void addIfMatching(List<Filter> candidates, ServiceEntry e, Map<String, String> attrs,
            Map<Filter, List<ServiceEntry>> out) {
        if (candidates == null) {
            return;
        }
        for (Filter f : candidates) {
            if (f.matches(attrs)) {
                out.get(f).add(e);
            }
        }
    }
}
