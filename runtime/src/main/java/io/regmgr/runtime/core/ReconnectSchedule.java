package io.regmgr.runtime.core;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When the manager tries to reach a registry that is down, separating the cheap from the
 * expensive (see {@link ManagerOptions.Builder#reconnectProbes}):
 *
 * <ul>
 *   <li><b>probes</b> (a TCP connect, no session) come at an interval of a tenth of the time the
 *       registry has been down ({@value #DOWNTIME_FRACTION}), within {@code [min, max]}, each
 *       drawn at random in {@code [interval / 2, interval]}: a restart of 0.3 s is noticed within
 *       30 ms of the registry accepting, a 10-minute outage costs a probe every 2.5-5 s (defaults);
 *   <li><b>session setups</b> follow a successful probe after a random wait in {@code [0, spread]}
 *       (so that many clients do not set up their sessions at the same instant), plus, when
 *       setups failed after successful probes, the exponential backoff of {@link Backoff} for
 *       that many failures (a registry that accepts connections but refuses sessions is not
 *       hammered at the probe interval).
 * </ul>
 *
 * <p>Pure and immutable: the randomness is passed in. Thread-safe.
 */
final class ReconnectSchedule {
    /** The probe interval is the time the registry has been down divided by this. */
    static final int DOWNTIME_FRACTION = 10;

    private final long minMillis;
    private final long maxMillis;
    private final long spreadMillis;
    private final Backoff backoff;

    /**
     * @param min the shortest probe interval (at least 1 ms)
     * @param max the longest probe interval, the cap of the setup backoff; not below {@code min}
     * @param spread the upper bound of the random wait before a session setup; zero for none
     */
    ReconnectSchedule(Duration min, Duration max, Duration spread) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
        this.spreadMillis = Math.max(0, spread.toMillis());
        this.backoff = new Backoff(min, max);
    }

    /**
     * @param downMillis how long the registry has been down (negative counts as zero)
     * @return the upper bound of the wait before the next probe, in milliseconds
     */
    long probeCap(long downMillis) {
        return Math.min(maxMillis, Math.max(minMillis, Math.max(0, downMillis) / DOWNTIME_FRACTION));
    }

    /**
     * @param downMillis how long the registry has been down
     * @param random where the jitter comes from
     * @return the wait before the next probe, in {@code [cap - cap / 2, cap]} milliseconds, at least 1
     */
    long probeDelay(long downMillis, RandomGenerator random) {
        long cap = probeCap(downMillis);
        return Math.max(1, cap - random.nextLong(cap / 2 + 1));
    }

    /**
     * @param failedSetups session setups that failed after a probe connected, since the last session
     * @param random where the jitter comes from
     * @return the wait between a successful probe and the session setup, in milliseconds: a random
     *     spread in {@code [0, spread]}, plus the backoff of retry {@code failedSetups} if any failed
     */
    long setupDelay(int failedSetups, RandomGenerator random) {
        long spread = random.nextLong(spreadMillis + 1);
        return failedSetups <= 0 ? spread : spread + random.nextLong(backoff.cap(failedSetups) + 1);
    }

    /** @return the upper bound of {@link #setupDelay} for {@code failedSetups} */
    long setupCap(int failedSetups) {
        return spreadMillis + (failedSetups <= 0 ? 0 : backoff.cap(failedSetups));
    }
}
