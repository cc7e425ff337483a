package io.regmgr.runtime.otel;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.regmgr.ConnectionState;
import io.regmgr.RegistrationState;
import io.regmgr.runtime.core.ObservedManager;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One manager's observable gauges, read from its {@link ObservedManager} when a metric reader
 * collects: the connection state (1 for the current state, 0 for the others), registrations by
 * state, and per monitor the services in its view and its listener's backlog. Closed with the
 * manager. Thread-safe.
 */
final class Gauges implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Gauges.class.getName());

    private final List<ObservableLongGauge> gauges;

    Gauges(Meter meter, ObservedManager manager, Attributes base) {
        this.gauges = List.of(
                gauge(meter, "regmgr.connection.state", "1", "1 for the connection's current state, 0 for the others",
                        m -> connection(m, manager, base)),
                gauge(meter, "regmgr.registrations", "{registration}", "Registrations attached, by state",
                        m -> registrations(m, manager, base)),
                gauge(meter, "regmgr.monitor.services", "{service}", "Services in a monitor's view",
                        m -> manager.monitors().forEach(g -> m.record(g.services(), monitor(base, g)))),
                gauge(meter, "regmgr.monitor.backlog", "{delta}",
                        "Deltas a monitor's listener has still to hear (at most one per service)",
                        m -> manager.monitors().forEach(g -> m.record(g.backlog(), monitor(base, g)))));
    }

    private static ObservableLongGauge gauge(Meter meter, String name, String unit, String description,
            Consumer<ObservableLongMeasurement> read) {
        return meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description).buildWithCallback(read);
    }

    private static void connection(ObservableLongMeasurement m, ObservedManager manager, Attributes base) {
        ConnectionState now = manager.connectionState();
        for (ConnectionState s : ConnectionState.values()) {
            m.record(s == now ? 1 : 0, state(base, s.name()));
        }
    }

    private static void registrations(ObservableLongMeasurement m, ObservedManager manager, Attributes base) {
        for (Map.Entry<RegistrationState, Integer> e : manager.registrations().entrySet()) {
            m.record(e.getValue(), state(base, e.getKey().name()));
        }
    }

    private static Attributes state(Attributes base, String state) {
        return base.toBuilder().put(OtelObserver.STATE, state.toLowerCase(Locale.ROOT)).build();
    }

    private static Attributes monitor(Attributes base, ObservedManager.MonitorGauge g) {
        return base.toBuilder().put(OtelObserver.MONITOR, g.name()).build();
    }

    @Override
    public void close() {
        for (ObservableLongGauge g : gauges) {
            try {
                g.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing a regmgr gauge failed", e);
            }
        }
    }
}
