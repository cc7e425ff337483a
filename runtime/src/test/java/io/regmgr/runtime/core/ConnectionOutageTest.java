package io.regmgr.runtime.core;

import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.RegistryManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outage of the registry (stopped, then started on the same ports) held until the manager has
 * failed many attempts: its connection listener hears a few transitions, not one per attempt, and
 * the connected status it ends on carries no cause; {@code status()} still counts every attempt.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionOutageTest {
    /** Failed attempts the outage lasts at least: well above the transitions a listener may hear. */
    private static final int ATTEMPTS = 20;
    /**
     * Typically CONNECTED (first) → DISCONNECTED (lost) → DISCONNECTED (refused) → CONNECTING →
     * CONNECTED; room for a DISCONNECTED of another kind or two (an attempt cut as the registry stops
     * or starts), which the tracker tells once each per outage.
     */
    private static final int MOST_TOLD = 7;

    private final Network net = new Network();

    @AfterEach
    void tearDown() {
        net.close();
    }

    @ParameterizedTest(name = "{0}, probes {1}")
    @CsvSource({"STYX, true", "STYX, false", "BRIDGE, true"})
    void anOutageIsAFewTransitionsHoweverManyAttemptsItTakes(Transport transport, boolean probes) {
        RegistryManager m = net.manager(transport, false, UnaryOperator.identity(), ManagerOptions.builder()
                .reconnectDelays(Duration.ofMillis(5), Duration.ofMillis(20)).reconnectProbes(probes));
        List<ConnectionStatus> told = new CopyOnWriteArrayList<>();
        m.onConnection(told::add);
        // Not a wait for the listener to hear CONNECTED: the manager connects as it is made, and may
        // have connected before the listener was added (listeners hear later transitions only).
        await().atMost(Network.WAIT).until(() -> m.status().isConnected());

        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> m.status().attempt() >= ATTEMPTS);
        ConnectionStatus during = m.status();
        net.registry.start();
        await().atMost(Network.WAIT).until(() -> m.status().isConnected()
                && !told.isEmpty() && told.get(told.size() - 1).isConnected() && told.get(told.size() - 1).reconnects() == 1);

        assertThat(during.state()).as("status() during the outage").isNotEqualTo(ConnectionState.CONNECTED);
        assertThat(during.cause()).as("last error in status() during the outage").isNotNull();
        assertThat(told).as("what the listener heard of an outage of %d attempts and more", ATTEMPTS)
                .hasSizeLessThanOrEqualTo(MOST_TOLD);
        assertThat(told).filteredOn(ConnectionStatus::isConnected).as("connected statuses")
                .allSatisfy(s -> assertThat(s.cause()).as("cause of %s", s).isNull());
        assertThat(told).filteredOn(s -> s.reconnects() > 0).filteredOn(ConnectionStatus::isConnected)
                .as("connected statuses once the outage began: %s", told).hasSize(1);
        assertThat(m.status().cause()).as("cause in status() once connected").isNull();
        assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
    }
}
