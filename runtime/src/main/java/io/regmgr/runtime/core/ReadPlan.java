package io.regmgr.runtime.core;

import io.regmgr.Filter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one change's distinct filters are read, as {@link ReadPlanner} decided: one index read that
 * answers every filter, or a mix of covers and filtered finds. A cover is the find {@code A *} of
 * an attribute {@code A} that several filters carry: it lists exactly the services carrying
 * {@code A}, a superset of what each of those filters matches, so each is answered from it here.
 * Immutable; the covers' order is the order they were chosen in.
 *
 * @param index whether one index read answers every filter (then {@code covered} and
 *     {@code finds} are empty)
 * @param covered each filter answered from a cover, mapped to that cover's filter ({@code A *});
 *     a filter that is itself {@code A *} maps to itself
 * @param finds the filters read by a find of their own
 */
record ReadPlan(boolean index, Map<Filter, Filter> covered, List<Filter> finds) {
    /** One index read for everything. */
    static final ReadPlan INDEX = new ReadPlan(true, Map.of(), List.of());

    ReadPlan {
        covered = Collections.unmodifiableMap(new LinkedHashMap<>(covered));
        finds = List.copyOf(finds);
    }

    /**
     * @param attribute an attribute
     * @return the cover of {@code attribute}: the filter {@code attribute *}
     */
    static Filter cover(String attribute) {
        return Filter.of(attribute, Filter.WILDCARD);
    }

    /** @return the covers to read, each once, in the order they were chosen */
    Set<Filter> covers() {
        return new LinkedHashSet<>(covered.values());
    }
}
