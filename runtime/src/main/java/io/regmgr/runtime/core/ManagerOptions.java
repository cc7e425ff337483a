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
 * <tr><td>reconnect initial delay</td><td>10 ms: the shortest interval between probes while the
 *     registry is down; the cap of a refused registration's first retry</td></tr>
 * <tr><td>reconnect max delay</td><td>5 s: the longest interval between probes and the cap of every
 *     exponential backoff (full jitter)</td></tr>
 * <tr><td>reconnect probes</td><td>on: while the registry is down, cheap TCP probes at an interval
 *     that grows with the downtime; the session is set up once a probe connects (see
 *     {@link Builder#reconnectProbes})</td></tr>
 * <tr><td>restore spread</td><td>10 ms: a random wait in [0, spread] before the session setup that
 *     follows a successful probe</td></tr>
 * <tr><td>restore in flight</td><td>64: registrations one manager has under way at once over 9P</td></tr>
 * <tr><td>Vert.x</td><td>the manager's own, closed by {@code close()}</td></tr>
 * <tr><td>instance token attribute</td><td>{@code regmgr-instance}, value a random UUID per manager</td></tr>
 * <tr><td>name</td><td>{@code regmgr-N}: prefixes the names of the manager's threads</td></tr>
 * <tr><td>close timeout</td><td>10 s: how long {@code close()} waits for the connection to close</td></tr>
 * <tr><td>metrics</td><td>none ({@link ManagerObserver.Factory#NONE}); with OpenTelemetry:
 *     {@code io.regmgr.runtime.otel.OpenTelemetryMetrics.of(openTelemetry)}</td></tr>
 * </table>
 */
public final class ManagerOptions {
    /** Default shortest probe interval, and delay cap of the first retry (it comes within it). */
    public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = Duration.ofMillis(10);
    /** Default cap of every reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(5);
    /** Default attribute that carries the manager's instance token in every registration. */
    public static final String DEFAULT_INSTANCE_TOKEN_ATTRIBUTE = "regmgr-instance";
    /** Default upper bound of the random wait between a successful probe and the session setup. */
    public static final Duration DEFAULT_RESTORE_SPREAD = Duration.ofMillis(10);
    /** Default number of registrations one manager has under way at once. */
    public static final int DEFAULT_RESTORE_IN_FLIGHT = 64;
    /** Default time {@code close()} waits for the connection to be closed. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final boolean reconnectProbes;
    private final Duration restoreSpread;
    private final int restoreInFlight;
    private final Vertx vertx;
    private final String instanceTokenAttribute;
    private final String name;
    private final Duration closeTimeout;
    private final ManagerObserver.Factory metrics;

    private ManagerOptions(Builder b) {
        this.reconnectInitialDelay = b.reconnectInitialDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.reconnectProbes = b.reconnectProbes;
        this.restoreSpread = b.restoreSpread;
        this.restoreInFlight = b.restoreInFlight;
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

    /** @return whether the manager probes (cheap TCP connects) before setting up a session while the registry is down */
    public boolean reconnectProbes() {
        return reconnectProbes;
    }

    /** @return the upper bound of the random wait between a successful probe and the session setup; may be zero */
    public Duration restoreSpread() {
        return restoreSpread;
    }

    /** @return how many registrations one manager has under way at once */
    public int restoreInFlight() {
        return restoreInFlight;
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
                + reconnectMaxDelay.toMillis() + " ms, probes=" + reconnectProbes + ", spread="
                + restoreSpread.toMillis() + " ms, inFlight=" + restoreInFlight + ", vertx=" + (vertx == null ? "own" : "shared")
                + ", instanceToken=" + instanceTokenAttribute + ", closeTimeout=" + closeTimeout.toMillis() + " ms"
                + ", metrics=" + (metrics == ManagerObserver.Factory.NONE ? "none" : metrics) + "]";
    }

    /** Builds {@link ManagerOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private boolean reconnectProbes = true;
        private Duration restoreSpread = DEFAULT_RESTORE_SPREAD;
        private int restoreInFlight = DEFAULT_RESTORE_IN_FLIGHT;
        private Vertx vertx;
        private String instanceTokenAttribute = DEFAULT_INSTANCE_TOKEN_ATTRIBUTE;
        private String name;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private ManagerObserver.Factory metrics = ManagerObserver.Factory.NONE;

        private Builder() {
        }

        /**
         * With probes on (the default), {@code initial} is the shortest and {@code max} the longest
         * interval between probes while the registry is down (see {@link #reconnectProbes}); with
         * probes off, they bound the exponential backoff (full jitter) between session setups: retry
         * n waits a random time in [0, min(max, initial * 2^(n-1))]. Either way they bound the
         * backoff of refused registrations and of session setups that fail after a probe connected.
         *
         * @param initial the shortest probe interval, the cap of the first retry's delay
         * @param max the longest probe interval, the cap of every delay; not below {@code initial}
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

        /**
         * How the manager reconnects. On (the default): while the registry is down it only opens
         * and closes a TCP connection (a probe, which costs the registry nothing), at an interval of
         * a tenth of the time the registry has been down, within the reconnect delays, each drawn
         * at random in [interval / 2, interval]: a 0.3 s restart is noticed within tens of
         * milliseconds, a 10-minute outage costs a probe every 2.5-5 s. Once a probe connects, it
         * waits a random time in [0, {@link #restoreSpread spread}], then sets up the session and
         * restores; a session setup that fails after a probe connected is retried with exponential
         * backoff, so a registry that accepts connections but refuses sessions is not hammered.
         * Connectors without a cheap probe (the line bridge, whose session is one connection)
         * make every probe a connection attempt. Off: every attempt sets up a session, with
         * exponential backoff and full jitter (the schedule of earlier versions).
         *
         * @param probes whether to probe before setting up a session
         * @return this builder
         */
        public Builder reconnectProbes(boolean probes) {
            this.reconnectProbes = probes;
            return this;
        }

        /**
         * @param spread the upper bound of the random wait between a successful probe and the session
         *     setup, so that many clients that see the registry back at once do not all set up their
         *     sessions at the same instant; zero for none. Larger spreads many clients' expensive work
         *     (sessions with authentication cost a real registry about 2.3 s of crypto each) over
         *     more time, at the cost of a later restore
         * @return this builder
         */
        public Builder restoreSpread(Duration spread) {
            if (spread == null || spread.isNegative()) {
                throw new IllegalArgumentException("restore spread must not be negative, got " + spread);
            }
            this.restoreSpread = spread;
            return this;
        }

        /**
         * @param registrations how many registrations the manager has under way at once (1 to
         *     1,024), so that a registry shared by many clients (it serves one request at a time)
         *     serves them interleaved instead of one client's restore at a time; 64 (the default)
         *     keeps a real registry busy with one client alone (a registration is 3 round trips of
         *     1.3 ms, the registry serves one in 0.75 ms: 6 would do if the client added no delay
         *     of its own; 64 leaves room for a loaded client's delays) and puts at most 16 ms of its
         *     requests ahead of another client's (unbounded, 10,000 registrations put 2.5 s). Over
         *     the line bridge every registration is opened at once (they are confirmed together)
         * @return this builder
         */
        public Builder restoreInFlight(int registrations) {
            if (registrations < 1 || registrations > 1024) {
                throw new IllegalArgumentException("restore in flight " + registrations + " is not within 1..1024");
            }
            this.restoreInFlight = registrations;
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
