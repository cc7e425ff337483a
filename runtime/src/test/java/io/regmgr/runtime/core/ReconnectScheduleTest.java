package io.regmgr.runtime.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconnect schedule: pure arithmetic, no registry needed. */
class ReconnectScheduleTest {
    private static final int DRAWS = 2_000;

    private final ReconnectSchedule defaults = new ReconnectSchedule(ManagerOptions.DEFAULT_RECONNECT_INITIAL_DELAY,
            ManagerOptions.DEFAULT_RECONNECT_MAX_DELAY, ManagerOptions.DEFAULT_RESTORE_SPREAD);

    @Test
    void probeIntervalIsATenthOfTheDowntimeWithinTheReconnectDelays() {
        assertThat(defaults.probeCap(0)).as("just lost").isEqualTo(10);
        assertThat(defaults.probeCap(-5)).as("negative downtime counts as none").isEqualTo(10);
        assertThat(defaults.probeCap(99)).as("below 100 ms down: the minimum").isEqualTo(10);
        assertThat(defaults.probeCap(300)).as("a 0.3 s restart").isEqualTo(30);
        assertThat(defaults.probeCap(2_000)).as("2 s down").isEqualTo(200);
        assertThat(defaults.probeCap(600_000)).as("10 minutes down: the maximum").isEqualTo(5_000);
        assertThat(defaults.probeCap(Long.MAX_VALUE)).as("no overflow").isEqualTo(5_000);
    }

    @Test
    void probeDelayIsJitteredWithinTheUpperHalfOfTheInterval() {
        RandomGenerator random = new SplittableRandom(11);
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (int i = 0; i < DRAWS; i++) {
            long d = defaults.probeDelay(300, random);
            assertThat(d).as("probe delay at 0.3 s down").isBetween(15L, 30L);
            lowest = Math.min(lowest, d);
            highest = Math.max(highest, d);
            assertThat(defaults.probeDelay(600_000, random)).as("at 10 minutes down").isBetween(2_500L, 5_000L);
        }
        assertThat(lowest).as("jitter reaches the bottom of the range").isEqualTo(15);
        assertThat(highest).as("and its top").isEqualTo(30);
    }

    @Test
    void aOneMillisecondMinimumStillWaits() {
        ReconnectSchedule tight = new ReconnectSchedule(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO);
        RandomGenerator random = new SplittableRandom(3);
        for (int i = 0; i < DRAWS; i++) {
            assertThat(tight.probeDelay(0, random)).as("never a zero delay").isEqualTo(1);
            assertThat(tight.setupDelay(0, random)).as("no spread: at once").isZero();
        }
    }

    @Test
    void setupAfterAProbeWaitsTheSpreadPlusBackoffForFailedSetups() {
        RandomGenerator random = new SplittableRandom(7);
        assertThat(defaults.setupCap(0)).as("first setup: the spread only").isEqualTo(10);
        assertThat(defaults.setupCap(1)).as("after one failed setup: + the first backoff").isEqualTo(20);
        assertThat(defaults.setupCap(4)).as("after four: + 80 ms").isEqualTo(90);
        assertThat(defaults.setupCap(Integer.MAX_VALUE)).as("capped at max + spread").isEqualTo(5_010);
        long highest = 0;
        for (int i = 0; i < DRAWS; i++) {
            long first = defaults.setupDelay(0, random);
            assertThat(first).as("first setup delay").isBetween(0L, 10L);
            highest = Math.max(highest, first);
            assertThat(defaults.setupDelay(4, random)).as("after four failed setups").isBetween(0L, 90L);
        }
        assertThat(highest).as("the spread is used up to its bound").isEqualTo(10);
    }
}
