package io.regmgr;

import io.regmgr.spi.RegistryTask;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Watches the services matching a filter and reports every addition, modification and removal
 * to its {@link MonitorListener}, in order. Its view is readable at any time. Obtained from
 * {@link RegistryManager#monitor}; detach it to stop watching. Thread-safe.
 *
 * <p>Guarantees: the first sync reports every matching service as added; after each change the
 * listener gets exactly the difference; after a reconnect it gets what changed while the manager
 * was away (removals included); applied in order to an empty map, the deltas give {@link #view()}.
 * A listener that falls behind hears a service's waiting changes merged into one delta (see
 * {@link MonitorListener}), so this holds for it too, with memory bounded by the services watched.
 */
public abstract class Monitor extends RegistryTask {
    /** @return the filter */
    public abstract Filter filter();

    /**
     * @return the monitor's name in metrics: the name it was created with
     *     ({@link RegistryManager#monitor(String, Filter, MonitorListener)}; under CDI, the
     *     {@code @RegistryMonitor} name), else its filter's attribute names joined by blanks
     *     ({@code kind} for {@code kind db}; never its values, which may be addresses or many),
     *     {@code *} for every service
     */
    public String name() {
        Filter f = filter();
        return f.isAll() ? "*" : f.pairs().stream().map(Map.Entry::getKey).collect(Collectors.joining(" "));
    }

    /** @return the matching services by name, as of the last sync; an immutable snapshot */
    public abstract Map<String, ServiceEntry> view();

    /** @return when the view was last synced with the registry, if ever */
    public abstract Optional<Instant> lastSync();

    /** @return whether the view is synced with the current session (false while disconnected) */
    public abstract boolean isSynced();
}
