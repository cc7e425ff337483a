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

    /**
     * One addition ({@code before} null), modification or removal ({@code after} null) of one
     * service, ready to be told to a listener.
     *
     * @param before the service as it was, or null if it was not in the view
     * @param after the service as it is, or null if it left the view
     * @param origin why it happened
     */
    record Delta(ServiceEntry before, ServiceEntry after, ChangeOrigin origin) {
        /** @return the name of the service */
        String name() {
            return after != null ? after.name() : before.name();
        }

        /** @param listener told of this delta */
        void tell(MonitorListener listener) {
            if (before == null) {
                listener.added(after, origin);
            } else if (after == null) {
                listener.removed(before, origin);
            } else {
                listener.modified(before, after, origin);
            }
        }

        /**
         * This delta followed by {@code later} (of the same service) as one: what a listener that
         * hears only the result must be told so that its map ends the same.
         *
         * @param later the next delta of the same service
         * @return the coalesced delta, or null when the two cancel out
         */
        Delta then(Delta later) {
            ServiceEntry from = before;
            ServiceEntry to = later.after;
            if (from == null && to == null) {
                return null; // added, then removed
            }
            if (from != null && to != null && from.attributes().equals(to.attributes())) {
                return null; // changed and changed back, or removed and added again as it was
            }
            return new Delta(from, to, later.origin);
        }

        @Override
        public String toString() {
            return before == null ? "added(" + after + ", " + origin + ")"
                    : after == null ? "removed(" + before + ", " + origin + ")"
                    : "modified(" + before + " -> " + after + ", " + origin + ")";
        }
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
                deltas.add(new Delta(null, e, origin));
            } else if (!old.attributes().equals(e.attributes())) {
                deltas.add(new Delta(old, e, origin));
            }
        }
        for (ServiceEntry old : before.values()) {
            if (!after.containsKey(old.name())) {
                deltas.add(new Delta(old, null, origin));
            }
        }
        return new Result(Collections.unmodifiableMap(after), deltas);
    }
}
