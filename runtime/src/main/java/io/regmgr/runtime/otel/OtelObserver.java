package io.regmgr.runtime.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.regmgr.ChangeOrigin;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.core.ObservedManager;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One manager's instruments: counters and histograms fed by its events, observable gauges that
 * read its state (see {@link Gauges}). Attribute sets are built once per value and kept, so an event
 * costs a map lookup and the SDK's own recording. Thread-safe.
 */
final class OtelObserver implements ManagerObserver {
    static final AttributeKey<String> MANAGER = AttributeKey.stringKey("regmgr.manager");
    static final AttributeKey<String> REGISTRY = AttributeKey.stringKey("regmgr.registry");
    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("regmgr.transport");
    static final AttributeKey<String> STATE = AttributeKey.stringKey("regmgr.state");
    static final AttributeKey<String> MONITOR = AttributeKey.stringKey("regmgr.monitor");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("regmgr.reason");
    static final AttributeKey<String> KIND = AttributeKey.stringKey("regmgr.kind");
    static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("regmgr.origin");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("regmgr.outcome");
    /** Seconds: half a millisecond (one local round trip) up to a minute (a long outage). */
    private static final List<Double> SECONDS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);
    private static final double NANOS_PER_SECOND = 1e9;

    private final Attributes base;
    private final LongCounter connects;
    private final LongCounter reconnects;
    private final DoubleHistogram restore;
    private final LongCounter attempts;
    private final LongCounter probeFailures;
    private final LongCounter refusals;
    private final LongCounter repairs;
    private final LongCounter deltas;
    private final LongCounter listenerFailures;
    private final DoubleHistogram delivery;
    private final LongCounter reads;
    private final LongCounter readServices;
    private final LongCounter readBytes;
    private final DoubleHistogram readDuration;
    private final Gauges gauges;
    private final Map<String, Attributes> attributes = new ConcurrentHashMap<>();

    OtelObserver(Meter meter, ObservedManager manager) {
        this.base = Attributes.of(MANAGER, manager.name(), REGISTRY, manager.registry(), TRANSPORT, manager.transport());
        this.connects = counter(meter, "regmgr.connection.connects", "{connect}", "Sessions opened, the first included");
        this.reconnects = counter(meter, "regmgr.connection.reconnects", "{reconnect}", "Sessions opened after a lost one");
        this.restore = seconds(meter, "regmgr.connection.restore.duration",
                "From a lost session to every registration answered and the first index read of the next");
        this.attempts = counter(meter, "regmgr.connection.attempts", "{attempt}",
                "Attempts to reach the registry, by kind (probe, setup) and outcome (ok, failed)");
        this.probeFailures = counter(meter, "regmgr.connection.probe.failures", "{failure}",
                "Liveness probes unanswered within their deadline (each ends the session)");
        this.refusals = counter(meter, "regmgr.registration.refusals", "{refusal}", "Registration attempts refused, by reason");
        this.repairs = counter(meter, "regmgr.registration.repairs", "{repair}",
                "Registrations repaired while connected: registered again or attributes written back");
        this.deltas = counter(meter, "regmgr.monitor.deltas", "{delta}", "Deltas delivered to monitor listeners");
        this.listenerFailures = counter(meter, "regmgr.monitor.listener.failures", "{failure}", "Monitor listener calls that threw");
        this.delivery = seconds(meter, "regmgr.monitor.delivery.duration",
                "From the registry's change event to the return of the monitor's last listener call");
        this.reads = counter(meter, "regmgr.registry.reads", "{read}", "Reads of the registry, by kind");
        this.readServices = counter(meter, "regmgr.registry.read.services", "{service}", "Services returned by reads");
        this.readBytes = counter(meter, "regmgr.registry.read.bytes", "By",
                "Bytes of the answers to reads of the registry (9P Rread payloads, line bridge find answers)");
        this.readDuration = seconds(meter, "regmgr.registry.read.duration", "Duration of reads of the registry");
        this.gauges = new Gauges(meter, manager, base);
    }

    private static LongCounter counter(Meter meter, String name, String unit, String description) {
        return meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
    }

    private static DoubleHistogram seconds(Meter meter, String name, String description) {
        return meter.histogramBuilder(name).setUnit("s").setDescription(description)
                .setExplicitBucketBoundariesAdvice(SECONDS).build();
    }

    private Attributes with(AttributeKey<String> key, String value) {
        return attributes.computeIfAbsent(key.getKey() + '=' + value, k -> base.toBuilder().put(key, value).build());
    }

    @Override
    public void connected(boolean reconnect) {
        connects.add(1, base);
        if (reconnect) {
            reconnects.add(1, base);
        }
    }

    @Override
    public void restored(long nanos) {
        restore.record(nanos / NANOS_PER_SECOND, base);
    }

    @Override
    public void attempted(String kind, boolean ok) {
        attempts.add(1, attributes.computeIfAbsent(kind + '\0' + ok, k -> base.toBuilder().put(KIND, kind)
                .put(OUTCOME, ok ? "ok" : "failed").build()));
    }

    @Override
    public void probeFailed() {
        probeFailures.add(1, base);
    }

    @Override
    public void registrationRefused(String reason) {
        refusals.add(1, with(REASON, reason));
    }

    @Override
    public void registrationRepaired(String kind) {
        repairs.add(1, with(KIND, kind));
    }

    @Override
    public void delivered(String monitor, String kind, ChangeOrigin origin, boolean failed) {
        Attributes monitorOnly = with(MONITOR, monitor);
        deltas.add(1, attributes.computeIfAbsent(monitor + '\0' + kind + '\0' + origin, k -> monitorOnly.toBuilder()
                .put(KIND, kind).put(ORIGIN, origin.name().toLowerCase(Locale.ROOT)).build()));
        if (failed) {
            listenerFailures.add(1, monitorOnly);
        }
    }

    @Override
    public void changeDelivered(String monitor, long nanos) {
        delivery.record(nanos / NANOS_PER_SECOND, with(MONITOR, monitor));
    }

    @Override
    public void read(String kind, long nanos, int services, long bytes, boolean failed) {
        Attributes a = with(KIND, kind);
        reads.add(1, failed ? attributes.computeIfAbsent(kind + "\0failed",
                k -> a.toBuilder().put(AttributeKey.stringKey("error.type"), "failed").build()) : a);
        readServices.add(services, a);
        if (bytes >= 0) {
            readBytes.add(bytes, a);
        }
        readDuration.record(nanos / NANOS_PER_SECOND, a);
    }

    @Override
    public void close() {
        gauges.close();
    }
}
