package io.regmgr.runtime.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bound on registrations under way: pure bookkeeping, no registry needed. */
class InFlightGateTest {
    private final List<Runnable> releases = new ArrayList<>();
    private final List<Integer> started = new ArrayList<>();

    private void enter(InFlightGate gate, int id) {
        gate.enter(release -> {
            started.add(id);
            releases.add(release);
        });
    }

    @Test
    void startsUpToTheLimitThenOneForEachEndedInOrder() {
        InFlightGate gate = new InFlightGate(2);
        for (int id = 1; id <= 5; id++) {
            enter(gate, id);
        }
        assertThat(started).as("started at once").containsExactly(1, 2);
        assertThat(gate.waiting()).as("waiting").isEqualTo(3);

        releases.get(0).run();
        releases.get(0).run(); // a second run of the same release does nothing
        assertThat(started).as("one ended: the next in line starts, once").containsExactly(1, 2, 3);
        assertThat(gate.inFlight()).as("under way").isEqualTo(2);

        releases.get(1).run();
        releases.get(2).run();
        releases.get(3).run();
        releases.get(4).run();
        assertThat(started).as("all started in order").containsExactly(1, 2, 3, 4, 5);
        assertThat(gate.inFlight()).as("none under way once all ended").isZero();
        assertThat(gate.waiting()).as("none waiting").isZero();
    }

    @Test
    void aLimitBelowOneCountsAsOne() {
        InFlightGate gate = new InFlightGate(0);
        enter(gate, 1);
        enter(gate, 2);
        assertThat(started).as("one at a time").containsExactly(1);
    }

    @Test
    void theOpenGateNeverWaits() {
        for (int id = 1; id <= 100; id++) {
            enter(InFlightGate.OPEN, id);
        }
        assertThat(started).as("every one started at once").hasSize(100);
        assertThat(InFlightGate.OPEN.inFlight()).as("the shared open gate counts nothing").isZero();
    }
}
