package io.regmgr.runtime.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: retry {@code n} (from 1) waits a random time in
 * {@code [0, min(max, initial * 2^(n-1))]}, so the first retry comes within {@code initial}.
 * Immutable and thread-safe.
 */
final class Backoff {
    /** Past this many doublings the cap is the maximum anyway; keeps the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 30;

    private final long initialMillis;
    private final long maxMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /**
     * @param attempt the number of the retry, from 1 (lower values count as 1)
     * @return how long to wait before it
     */
    Duration delay(int attempt) {
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap(attempt) + 1));
    }

    /** @return the upper bound of the delay of retry {@code attempt} */
    long cap(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, MAX_DOUBLINGS);
        long cap = initialMillis << doublings;
        return cap <= 0 ? maxMillis : Math.min(maxMillis, cap);
    }
}
