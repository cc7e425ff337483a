package io.regmgr.runtime.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconnect backoff: pure arithmetic, no registry needed. */
class BackoffTest {
    @Test
    void backoffHasFullJitterUnderAnExponentialCap() {
        Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));
        assertThat(b.cap(1)).as("first retry").isEqualTo(50);
        assertThat(b.cap(2)).as("second").isEqualTo(100);
        assertThat(b.cap(8)).as("eighth").isEqualTo(5000);
        assertThat(b.cap(Integer.MAX_VALUE)).as("no overflow").isEqualTo(5000);
        assertThat(b.cap(0)).as("below 1 counts as 1").isEqualTo(50);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.delay(1).toMillis()).as("first delay").isBetween(0L, 50L);
            assertThat(b.delay(3).toMillis()).as("third delay").isBetween(0L, 200L);
        }
    }
}
