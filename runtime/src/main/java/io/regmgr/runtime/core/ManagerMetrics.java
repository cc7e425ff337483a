package io.regmgr.runtime.core;

import io.regmgr.ConnectionState;
import io.regmgr.RegistrationConflictException;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistryTask;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.StyxConnector;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A manager's side of its {@link ManagerObserver}: the one-line calls the manager's classes make
 * where things happen, turned into the observer's events (refusals classified, restores and
 * change-to-listener times measured), and the state the observer reads ({@link ObservedManager}).
 * Nothing the observer throws reaches the manager. Thread-safe: the attached tasks are kept in a
 * concurrent set; the rest is volatile or confined to the manager's context.
 */
final class ManagerMetrics implements ObservedManager {
    private static final System.Logger LOG = System.getLogger(ManagerMetrics.class.getName());

    private final String name;
    private final String registry;
    private final String transport;
    private final Supplier<ConnectionState> state;
    private final Set<ManagedRegistration> registrations = ConcurrentHashMap.newKeySet();
    private final Set<ManagedMonitor> monitors = ConcurrentHashMap.newKeySet();
    private final ManagerObserver observer;
    private volatile long lastChange;
    /** When the last session was lost ({@link System#nanoTime()}), 0 before any; on the context. */
    private long lostAt;
    private boolean everConnected;

    ManagerMetrics(ManagerObserver.Factory factory, String name, RegistryConnector connector, Supplier<ConnectionState> state) {
        this.name = name;
        this.registry = connector.describe();
        this.transport = connector instanceof StyxConnector ? "9p" : connector instanceof BridgeConnector ? "bridge" : "custom";
        this.state = state;
        this.observer = open(factory);
    }

    private ManagerObserver open(ManagerObserver.Factory factory) {
        try {
            ManagerObserver o = factory.open(this);
            return o == null ? ManagerObserver.NONE : o;
        } catch (RuntimeException | LinkageError e) {
            // a LinkageError: a metrics library the manager's class loader cannot link (never fatal here)
            LOG.log(Level.WARNING, "metrics of manager " + name + " are off: their observer failed to open", e);
            return ManagerObserver.NONE;
        }
    }

    /** @return the observer, for events that need no more than a call */
    ManagerObserver observer() {
        return observer;
    }

    // ---- what the manager's classes report

    void attached(RegistryTask task) {
        if (task instanceof ManagedRegistration r) {
            registrations.add(r);
        } else if (task instanceof ManagedMonitor m) {
            monitors.add(m);
        }
    }

    void detached(RegistryTask task) {
        registrations.remove(task);
        monitors.remove(task);
    }

    /** A session opened and its tasks were started: count it and, after a loss, time the restore. */
    void opened(LiveSession live) {
        observer.connected(everConnected);
        if (everConnected) {
            long since = lostAt;
            live.whenUnheld(() -> afterFirstRead(live, since));
        }
        everConnected = true;
    }

    private void afterFirstRead(LiveSession live, long since) {
        if (live.ended()) {
            return; // lost again before it was restored: the next session's restore counts from then
        }
        if (!live.cycle().inFlight()) {
            observer.restored(System.nanoTime() - since);
            return;
        }
        // the first cycle's reads, whatever the plan made of them (finds or one index read): asking
        // for the index here would add a read, and turn a plan of finds into an index read
        live.cycle().settled().whenComplete((v, failure) -> {
            if (failure == null) {
                observer.restored(System.nanoTime() - since);
            }
        });
    }

    /** @param cause why the session ended */
    void lost(Throwable cause) {
        lostAt = System.nanoTime();
        if (cause instanceof RegistryTimeoutException && String.valueOf(cause.getMessage()).startsWith("liveness probe")) {
            observer.probeFailed();
        }
    }

    /** The registry's change event arrived. */
    void changeEvent() {
        lastChange = System.nanoTime();
    }

    /** @return when the latest change event arrived ({@link System#nanoTime()}), 0 before any */
    long lastChange() {
        return lastChange;
    }

    /** @param failure why a registration attempt failed */
    void refused(Throwable failure) {
        observer.registrationRefused(reason(failure));
    }

    static String reason(Throwable failure) {
        if (failure instanceof RegistryErrorException e) {
            return e.isDuplicateName() ? "duplicate_name" : "registry_error";
        }
        if (failure instanceof RegistrationConflictException) {
            return "conflict";
        }
        return failure instanceof RegistryTimeoutException ? "timeout"
                : failure instanceof RegistryConnectionException ? "connection" : "other";
    }

    // ---- ObservedManager

    @Override
    public String name() {
        return name;
    }

    @Override
    public String registry() {
        return registry;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public ConnectionState connectionState() {
        return state.get();
    }

    @Override
    public Map<RegistrationState, Integer> registrations() {
        Map<RegistrationState, Integer> counts = new EnumMap<>(RegistrationState.class);
        for (RegistrationState s : RegistrationState.values()) {
            counts.put(s, 0);
        }
        for (ManagedRegistration r : registrations) {
            counts.merge(r.status().state(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public List<MonitorGauge> monitors() {
        Map<String, MonitorGauge> byName = new LinkedHashMap<>();
        for (ManagedMonitor m : monitors) {
            MonitorGauge g = new MonitorGauge(m.name(), m.view().size(), m.backlog());
            byName.merge(g.name(), g, (a, b) -> new MonitorGauge(a.name(), a.services() + b.services(), a.backlog() + b.backlog()));
        }
        return new ArrayList<>(byName.values());
    }

    /** The manager closed. */
    void close() {
        registrations.clear();
        monitors.clear();
        try {
            observer.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the metrics of manager " + name + " failed", e);
        }
    }
}
