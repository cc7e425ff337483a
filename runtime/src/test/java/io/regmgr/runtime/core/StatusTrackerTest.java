package io.regmgr.runtime.core;

import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryTimeoutException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a connection listener hears of an outage: transitions, not attempts. The tracker is driven
 * as the connection loop drives it, its listeners told on the calling thread, so every call they
 * would hear is counted.
 */
class StatusTrackerTest {
    private final StatusTracker tracker = new StatusTracker(Clock.systemUTC(), Runnable::run);
    private final List<ConnectionStatus> told = new ArrayList<>();

    StatusTrackerTest() {
        tracker.subscribe(told::add);
    }

    private static Throwable refused() {
        return new RegistryConnectionException("tcp!127.0.0.1!1", "cannot connect", new ConnectException("Connection refused"));
    }

    @Test
    void fiftyFailedProbesAreOneTransitionAndConnectedCarriesNoCause() {
        tracker.connected();
        tracker.disconnected(new RegistryConnectionException("tcp!127.0.0.1!1", "the session ended", null), false);
        for (int i = 0; i < 50; i++) {
            tracker.disconnected(refused(), true);
        }
        ConnectionStatus during = tracker.current();
        tracker.connecting(true);
        tracker.connected();

        assertThat(during.attempt()).as("attempts still counted in status()").isEqualTo(50);
        assertThat(during.cause()).as("last error still in status()").hasMessageContaining("cannot connect");
        assertThat(told).extracting(ConnectionStatus::state).as("what the listener heard").containsExactly(
                ConnectionState.CONNECTED, ConnectionState.DISCONNECTED, ConnectionState.DISCONNECTED,
                ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        assertThat(told.get(2).attempt()).as("the first refused probe is told").isEqualTo(1);
        assertThat(told.get(4).cause()).as("cause of CONNECTED").isNull();
        assertThat(tracker.current().cause()).as("cause in status() once connected").isNull();
        assertThat(tracker.current().attempt()).as("attempt once connected").isZero();
    }

    @Test
    void unannouncedRetriesAreNotToldAndNewKindsOnlyOnce() {
        for (int i = 0; i < 20; i++) {
            tracker.connecting(false);
            tracker.disconnected(i % 2 == 0 ? refused() : new RegistryTimeoutException("connect", Duration.ofSeconds(1)), true);
        }
        tracker.connecting(false);
        assertThat(tracker.current().state()).as("status() says an attempt is under way").isEqualTo(ConnectionState.CONNECTING);
        tracker.connected();

        assertThat(told).extracting(s -> s.state() + " " + StatusTracker.kind(s.cause())).as("what the listener heard")
                .containsExactly("DISCONNECTED " + StatusTracker.kind(refused()),
                        "DISCONNECTED " + StatusTracker.kind(new RegistryTimeoutException("x", Duration.ofSeconds(1))), "CONNECTED ");
    }

    @Test
    void aFailedSetupAfterAnAnnouncedAttemptIsToldThoughItsKindWasTold() {
        tracker.connected();
        tracker.disconnected(refused(), false);
        tracker.connecting(true);
        tracker.disconnected(refused(), true);
        tracker.closed();

        assertThat(told).extracting(ConnectionStatus::state).as("the listener never stays on CONNECTING").containsExactly(
                ConnectionState.CONNECTED, ConnectionState.DISCONNECTED, ConnectionState.CONNECTING,
                ConnectionState.DISCONNECTED, ConnectionState.CLOSED);
    }

    @Test
    void sinceIsWhenTheStateWasEntered() {
        StatusTracker stepping = new StatusTracker(new SteppingClock(), Runnable::run);
        stepping.disconnected(refused(), true);
        ConnectionStatus first = stepping.current();
        stepping.disconnected(refused(), true);
        stepping.connected();

        assertThat(first.since()).as("since, once disconnected").isNotEqualTo(Instant.EPOCH);
        assertThat(stepping.current().since()).as("since, once connected").isAfter(first.since());
        stepping.disconnected(refused(), false);
        ConnectionStatus down = stepping.current();
        stepping.disconnected(refused(), true);
        assertThat(stepping.current().since()).as("since, after a failed probe").isEqualTo(down.since());
    }

    /** A clock one second further on each reading. */
    private static final class SteppingClock extends Clock {
        private Instant now = Instant.EPOCH;

        @Override
        public Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
