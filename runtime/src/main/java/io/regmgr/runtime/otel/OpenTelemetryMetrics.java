package io.regmgr.runtime.otel;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.core.ObservedManager;

import java.util.Objects;

/**
 * Records a manager's metrics with an {@link OpenTelemetry} instance: pass it to
 * {@link io.regmgr.runtime.core.ManagerOptions.Builder#metrics}. The instruments (all named
 * {@code regmgr.*}, meter scope {@value #SCOPE}) are listed in the README; their attributes are
 * the manager's name, registry and transport, and for some the state, the monitor's name, the
 * kind and origin of a delta, a refusal's reason or the kind of a read, never a service name.
 *
 * <p>Thread-safe; one instance may serve many managers. Each manager's observable gauges are
 * removed when it closes.
 */
public final class OpenTelemetryMetrics implements ManagerObserver.Factory {
    /** The instrumentation scope of the meter. */
    public static final String SCOPE = "io.regmgr";

    private final Meter meter;

    private OpenTelemetryMetrics(Meter meter) {
        this.meter = meter;
    }

    /**
     * @param openTelemetry where the metrics go (e.g. the runtime's MicroProfile Telemetry instance,
     *     or {@code GlobalOpenTelemetry.get()})
     * @return the factory to pass to {@code ManagerOptions.Builder.metrics}
     */
    public static OpenTelemetryMetrics of(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new OpenTelemetryMetrics(openTelemetry.getMeter(SCOPE));
    }

    /**
     * For callers that must not name the OpenTelemetry API themselves (the CDI layer, which loads
     * without it).
     *
     * @param openTelemetry an {@link OpenTelemetry}
     * @return the factory
     * @throws IllegalArgumentException if it is not an {@link OpenTelemetry} (another class loader's, say)
     */
    public static ManagerObserver.Factory ofInstance(Object openTelemetry) {
        if (!(openTelemetry instanceof OpenTelemetry)) {
            throw new IllegalArgumentException("metrics: " + (openTelemetry == null ? "null" : openTelemetry.getClass().getName())
                    + " is not an " + OpenTelemetry.class.getName() + " of the class loader of regmgr-runtime");
        }
        return of((OpenTelemetry) openTelemetry);
    }

    @Override
    public ManagerObserver open(ObservedManager manager) {
        return new OtelObserver(meter, manager);
    }

    @Override
    public String toString() {
        return "OpenTelemetryMetrics[" + SCOPE + "]";
    }
}
