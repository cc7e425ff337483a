package io.regmgr.runtime.server;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Awaitility as the network tests wait: the condition is checked at once and then every 5 ms (not
 * after Awaitility's default first delay of 100 ms), for at most {@link #PATIENCE}.
 */
final class Eventually {

    /** How long a network test waits for something that takes milliseconds on loopback. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Eventually() {
    }

    /** @return a condition factory checking at once, then every 5 ms, for at most {@link #PATIENCE} */
    static ConditionFactory eventually() {
        return Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }
}
