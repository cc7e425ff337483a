package io.regmgr.runtime.core;

import io.regmgr.RegistryNames;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a manager behaves: reconnect backoff, the Vert.x instance it runs on, the instance token it
 * adds to its registrations, its name and how long {@code close()} waits. Immutable and
 * thread-safe; build with {@link #builder()}.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>option</th><th>default</th></tr>
 * <tr><td>reconnect initial delay</td><td>50 ms: the first retry comes within it</td></tr>
 * <tr><td>reconnect max delay</td><td>5 s: the cap of the exponential backoff (full jitter)</td></tr>
 * <tr><td>Vert.x</td><td>the manager's own, closed by {@code close()}</td></tr>
 * <tr><td>instance token attribute</td><td>{@code regmgr-instance}, value a random UUID per manager</td></tr>
 * <tr><td>name</td><td>{@code regmgr-N}: prefixes the names of the manager's threads</td></tr>
 * <tr><td>close timeout</td><td>10 s: how long {@code close()} waits for the connection to close</td></tr>
 * <tr><td>metrics</td><td>none ({@link ManagerObserver.Factory#NONE}); with OpenTelemetry:
 *     {@code io.regmgr.runtime.otel.OpenTelemetryMetrics.of(openTelemetry)}</td></tr>
 * </table>
 */
public final class ManagerOptions {
    /** Default delay cap of the first reconnect: the first retry comes within it. */
    public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = Duration.ofMillis(50);
    /** Default cap of every reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(5);
    /** Default attribute that carries the manager's instance token in every registration. */
    public static final String DEFAULT_INSTANCE_TOKEN_ATTRIBUTE = "regmgr-instance";
    /** Default time {@code close()} waits for the connection to be closed. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final Vertx vertx;
    private final String instanceTokenAttribute;
    private final String name;
    private final Duration closeTimeout;
    private final ManagerObserver.Factory metrics;

    private ManagerOptions(Builder b) {
        this.reconnectInitialDelay = b.reconnectInitialDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.vertx = b.vertx;
        this.instanceTokenAttribute = b.instanceTokenAttribute;
        this.name = b.name != null ? b.name : "regmgr-" + SEQUENCE.incrementAndGet();
        this.closeTimeout = b.closeTimeout;
        this.metrics = b.metrics;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults (each call gets a fresh manager name) */
    public static ManagerOptions defaults() {
        return builder().build();
    }

    /** @return the cap of the first reconnect delay */
    public Duration reconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    /** @return the cap of every reconnect delay */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** @return the Vert.x instance to run on, which the manager will not close; empty: its own */
    public Optional<Vertx> vertx() {
        return Optional.ofNullable(vertx);
    }

    /** @return the attribute that carries the instance token in registrations; empty: none is added */
    public Optional<String> instanceTokenAttribute() {
        return Optional.ofNullable(instanceTokenAttribute);
    }

    /** @return the manager's name, the prefix of its threads' names */
    public String name() {
        return name;
    }

    /** @return how long {@code close()} waits for the connection to be closed */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** @return what observes the manager for metrics; {@link ManagerObserver.Factory#NONE} by default */
    public ManagerObserver.Factory metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "ManagerOptions[name=" + name + ", reconnect=" + reconnectInitialDelay.toMillis() + ".."
                + reconnectMaxDelay.toMillis() + " ms, vertx=" + (vertx == null ? "own" : "shared")
                + ", instanceToken=" + instanceTokenAttribute + ", closeTimeout=" + closeTimeout.toMillis() + " ms"
                + ", metrics=" + (metrics == ManagerObserver.Factory.NONE ? "none" : metrics) + "]";
    }

    /** Builds {@link ManagerOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private Vertx vertx;
        private String instanceTokenAttribute = DEFAULT_INSTANCE_TOKEN_ATTRIBUTE;
        private String name;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private ManagerObserver.Factory metrics = ManagerObserver.Factory.NONE;

        private Builder() {
        }

        /**
         * @param initial the cap of the first retry's delay (the first retry comes within it)
         * @param max the cap of every delay; not below {@code initial}
         * @return this builder
         */
        public Builder reconnectDelays(Duration initial, Duration max) {
            positive(initial, "reconnect initial delay");
            positive(max, "reconnect max delay");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("reconnect max delay " + max.toMillis()
                        + " ms is below the initial delay " + initial.toMillis() + " ms");
            }
            this.reconnectInitialDelay = initial;
            this.reconnectMaxDelay = max;
            return this;
        }

        /** @param shared a Vert.x instance to run on, which the manager will not close @return this builder */
        public Builder vertx(Vertx shared) {
            this.vertx = Objects.requireNonNull(shared, "vertx");
            return this;
        }

        /**
         * @param attribute the attribute that carries the manager's instance token in every
         *     registration, so that a stale entry left by a lost connection is provably ours and can
         *     be removed at once over 9P; null to add none (a stale entry is then waited out)
         * @return this builder
         */
        public Builder instanceTokenAttribute(String attribute) {
            this.instanceTokenAttribute = attribute == null ? null
                    : RegistryNames.checkText("instance token attribute", attribute);
            return this;
        }

        /** @param managerName the prefix of the manager's threads' names and its name in logs @return this builder */
        public Builder name(String managerName) {
            if (managerName == null || managerName.isBlank()) {
                throw new IllegalArgumentException("manager name '" + managerName + "' is blank");
            }
            this.name = managerName;
            return this;
        }

        /** @param timeout how long {@code close()} waits for the connection to be closed @return this builder */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "close timeout");
            return this;
        }

        /**
         * @param observers makes the observer of the manager's metrics, e.g.
         *     {@code OpenTelemetryMetrics.of(openTelemetry)} (package {@code io.regmgr.runtime.otel});
         *     {@link ManagerObserver.Factory#NONE} (the default) records nothing
         * @return this builder
         */
        public Builder metrics(ManagerObserver.Factory observers) {
            this.metrics = Objects.requireNonNull(observers, "metrics");
            return this;
        }

        /** @return the options */
        public ManagerOptions build() {
            return new ManagerOptions(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
