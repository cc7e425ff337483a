package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.MonitorListener;
import io.regmgr.ServiceEntry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A monitor's view after one index read, and the deltas that lead to it from the previous view:
 * the index filtered locally, compared by name; a service is modified when its attributes differ.
 * O(n + m) with hash maps. Stateless.
 */
final class ViewDiff {
    private ViewDiff() {
    }

    /** One addition, modification or removal, ready to be told to a listener. */
    interface Delta {
        /** @param listener told of this delta */
        void tell(MonitorListener listener);
    }

    /**
     * The new view and the deltas from the old one.
     *
     * @param view the services matching now, by name, in index order; unmodifiable
     * @param deltas additions and modifications in index order, then removals
     */
    record Result(Map<String, ServiceEntry> view, List<Delta> deltas) {
    }

    /**
     * @param before the previous view
     * @param index every registered service
     * @param filter what the monitor watches
     * @param origin why the deltas happen
     * @return the new view and the deltas
     */
    static Result diff(Map<String, ServiceEntry> before, List<ServiceEntry> index, Filter filter, ChangeOrigin origin) {
        Map<String, ServiceEntry> after = new LinkedHashMap<>(Math.max(16, index.size() * 2));
        List<Delta> deltas = new ArrayList<>();
        for (ServiceEntry e : index) {
            if (!filter.matches(e.attributes())) {
                continue;
            }
            after.put(e.name(), e);
            ServiceEntry old = before.get(e.name());
            if (old == null) {
                deltas.add(l -> l.added(e, origin));
            } else if (!old.attributes().equals(e.attributes())) {
                deltas.add(l -> l.modified(old, e, origin));
            }
        }
        for (ServiceEntry old : before.values()) {
            if (!after.containsKey(old.name())) {
                deltas.add(l -> l.removed(old, origin));
            }
        }
        return new Result(Collections.unmodifiableMap(after), deltas);
    }
}
