package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryManager;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.RegistryProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Network faults between the manager and the registry, made by a {@link FaultProxy}: connections
 * cut, a half-open link (the probe must notice), added delay, and a cut the registry has not yet
 * noticed (a duplicate name on re-registration).
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultProxyTest {
    private static final Duration PROBE = Duration.ofMillis(200);
    private static final UnaryOperator<ConnectorOptions.Builder> FAST_PROBE = b -> b.probe(PROBE, PROBE)
            .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1));

    private final Network net;

    /** @param profile the kind of real registry the embedded one behaves like */
    FaultProxyTest(RegistryProfile profile) {
        this.net = new Network(profile);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    private RegistryManager manager(Transport transport, ManagerOptions.Builder options) {
        return net.manager(transport, true, FAST_PROBE, options);
    }

    private static void awaitRegistered(ServiceRegistration r) {
        await().atMost(Network.WAIT).until(() -> r.status().state() == RegistrationState.REGISTERED);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyConnectionCut(Transport transport) {
        RegistryManager m = manager(transport, ManagerOptions.builder());
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.all(), rec);
        awaitRegistered(r);
        await().atMost(Network.WAIT).until(() -> rec.deltas.size() == 1);
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        m.onConnection(statuses::add);

        net.proxies().cutAll();

        // At least one reconnect, not exactly one: under load a 200 ms probe may time out on the new
        // session too, and a poll may miss the moment the count was 1.
        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(m.status().reconnects()).as("reconnects: %s", m.status()).isPositive();
            assertThat(mon.isSynced()).as("monitor synced").isTrue();
            assertThat(r.status().state()).as("registration: %s", r.status()).isEqualTo(RegistrationState.REGISTERED);
        });
        assertThat(net.registry.services()).as("registered again").containsExactly(r.entry());
        assertThat(rec.of(ChangeOrigin.RESYNC)).as("our own service did not flap; heard %s", rec.all()).isEmpty();
        assertThat(m.status().lastError()).as("cause once connected again").isEmpty();
        // The loss and the reconnection may reach the listener as one CONNECTED (a brief outage is
        // coalesced, see RegistryManager#onConnection): it must hear the latest status, and every
        // loss it does hear with its cause. aHalfOpenLinkIsNoticedByTheProbe holds an outage until told.
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(statuses).as("told the latest status last").isNotEmpty()
                .last().extracting(ConnectionStatus::state, ConnectionStatus::reconnects)
                .containsExactly(ConnectionState.CONNECTED, m.status().reconnects()));
        assertThat(statuses).as("every loss told with its cause").filteredOn(s -> s.state() == ConnectionState.DISCONNECTED)
                .allSatisfy(s -> assertThat(s.lastError()).as("cause of %s", s).isPresent());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHalfOpenLinkIsNoticedByTheProbe(Transport transport) {
        RegistryManager m = manager(transport, ManagerOptions.builder());
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        awaitRegistered(r);
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        m.onConnection(statuses::add);

        long start = System.nanoTime();
        net.proxies().blackhole(true);
        await().atMost(Network.WAIT).until(() -> m.status().state() != ConnectionState.CONNECTED);
        long noticedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(noticedMillis).as("noticed within interval + deadline + slack (ms)").isLessThan(1_000);
        assertThat(m.status().cause()).as("cause").isInstanceOf(RegistryTimeoutException.class);
        // The outage lasts until the listener has heard of it: ended sooner, the loss may be
        // coalesced with the reconnection into one CONNECTED (see RegistryManager#onConnection).
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(statuses).as("told of the loss, with its cause")
                .anySatisfy(s -> {
                    assertThat(s.state()).as("state").isEqualTo(ConnectionState.DISCONNECTED);
                    assertThat(s.lastError()).as("cause of %s", s).isPresent();
                }));
        net.proxies().blackhole(false);
        await().atMost(Network.WAIT).until(() -> m.status().isConnected() && r.status().state() == RegistrationState.REGISTERED);
        assertThat(net.registry.services()).as("registered again").containsExactly(r.entry());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void addedDelayIsNotMistakenForADeadLink(Transport transport) {
        net.proxies(); // none yet
        RegistryManager m = manager(transport, ManagerOptions.builder());
        net.proxies().delay(Duration.ofMillis(40));
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        RecordingListener rec = new RecordingListener();
        m.monitor(Filter.of("k", "*"), rec);
        awaitRegistered(r);

        net.otherClient().register(ServiceEntry.of("other", "k", "w"));
        await().atMost(Network.WAIT).until(() -> rec.replay().size() == 2);
        long start = System.nanoTime();
        assertThat(Network.join(m.lookup(Filter.of("k", "w")))).as("lookup").containsExactly(ServiceEntry.of("other", "k", "w"));
        assertThat((System.nanoTime() - start) / 1_000_000).as("the lookup paid the delay (ms)").isGreaterThanOrEqualTo(40);
        assertThat(m.status().reconnects()).as("no reconnect").isZero();
        assertThat(m.status().isConnected()).as("connected").isTrue();
    }

    @Test
    void overStyxOurOwnStaleEntryIsRemovedAtOnce() {
        RegistryManager m = manager(Transport.STYX, ManagerOptions.builder());
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        awaitRegistered(r);
        List<RegistrationStatus> states = new CopyOnWriteArrayList<>();
        r.onStatus(states::add);

        net.proxies().cutClientSideOnly();

        await().atMost(Network.WAIT).until(() -> m.status().reconnects() == 1 && r.status().state() == RegistrationState.REGISTERED);
        assertThat(net.registry.counters().openConnections()).as("the registry still holds the old connection")
                .isGreaterThanOrEqualTo(2);
        assertThat(net.registry.services()).as("one entry, ours, re-registered").containsExactly(r.entry());
        assertThat(states).as("never retried").extracting(RegistrationStatus::state).doesNotContain(RegistrationState.RETRYING);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDuplicateNameIsRetriedUntilTheRegistryNoticesTheCut(Transport transport) {
        RegistryManager m = manager(transport, ManagerOptions.builder().instanceTokenAttribute(null));
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        awaitRegistered(r);
        assertThat(net.registry.services()).as("registered without a token").containsExactly(ServiceEntry.of("svc", "k", "v"));
        List<RegistrationStatus> states = new CopyOnWriteArrayList<>();
        r.onStatus(states::add);

        net.proxies().cutClientSideOnly();

        await().atMost(Network.WAIT).until(() -> states.stream().anyMatch(s -> s.state() == RegistrationState.RETRYING));
        RegistrationStatus retrying = states.stream().filter(s -> s.state() == RegistrationState.RETRYING).findFirst().orElseThrow();
        assertThat(retrying.error()).as("the registry's words").isInstanceOf(RegistryErrorException.class);
        if (transport == Transport.STYX) {
            assertThat(((RegistryErrorException) retrying.error()).isDuplicateName()).as("duplicate").isTrue();
        }
        net.proxies().releaseRegistrySides();
        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(r.status().state()).as("state").isEqualTo(RegistrationState.REGISTERED);
            assertThat(net.registry.services()).as("registry").containsExactly(r.entry());
        });
        assertThat(r.status().attempts()).as("attempts reset").isZero();
    }
}
