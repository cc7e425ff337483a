package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.ConnectionState;
import io.regmgr.Filter;
import io.regmgr.InvalidEntryException;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.StyxTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every instrument of {@link io.regmgr.runtime.otel.OpenTelemetryMetrics}, read back through the
 * OpenTelemetry SDK's in-memory reader from a real manager against the embedded registry on
 * loopback: a registry restart (connects, reconnects, restore time, state gauges), a registration
 * another client removes (repair) or holds (refusal), a listener that throws, and monitors by name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenTelemetryMetricsTest {
    private static final String MON = "kind";

    private final Network net = new Network();
    private final MetricsReader otel = new MetricsReader();
    private StyxTestClient other;

    @AfterEach
    void tearDown() {
        if (other != null) {
            other.close();
        }
        net.close();
        otel.close();
    }

    private RegistryManager manager(Transport transport) {
        return net.manager(transport, false, UnaryOperator.identity(), ManagerOptions.builder()
                .reconnectDelays(Duration.ofMillis(10), Duration.ofMillis(200)).metrics(otel.metrics));
    }

    private static void awaitRegistered(List<ServiceRegistration> regs) {
        await().atMost(Network.WAIT).until(() -> regs.stream().allMatch(r -> r.status().state() == RegistrationState.REGISTERED));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void throughARegistryRestart(Transport transport) {
        RegistryManager m = manager(transport);
        List<ServiceRegistration> regs = List.of(m.register(ServiceEntry.of("a", "kind", "app")),
                m.register(ServiceEntry.of("b", "kind", "app")));
        Monitor mon = m.monitor(Filter.of("kind", "app"), new RecordingListener());
        awaitRegistered(regs);
        await().atMost(Network.WAIT).until(() -> mon.isSynced() && mon.view().size() == 2
                && otel.value("regmgr.monitor.deltas", "regmgr.origin", "initial_sync") == 2);
        String t = transport == Transport.STYX ? "9p" : "bridge";
        assertThat(otel.value("regmgr.connection.connects", "regmgr.transport", t)).as("connects").isEqualTo(1);
        assertThat(otel.value("regmgr.connection.reconnects")).as("reconnects").isZero();
        assertThat(otel.value("regmgr.connection.state", "regmgr.state", "connected")).as("state connected").isEqualTo(1);
        assertThat(otel.value("regmgr.connection.state")).as("one state at a time").isEqualTo(1);
        assertThat(otel.value("regmgr.registrations", "regmgr.state", "registered")).as("registered").isEqualTo(2);
        assertThat(otel.value("regmgr.monitor.services", "regmgr.monitor", MON)).as("services in view").isEqualTo(2);
        assertThat(otel.value("regmgr.monitor.deltas", "regmgr.kind", "added", "regmgr.origin", "initial_sync"))
                .as("initial deltas").isEqualTo(2);
        assertThat(otel.value("regmgr.registry.reads", "regmgr.kind", "index")).as("index reads").isPositive();
        assertThat(otel.count("regmgr.registry.read.duration", "regmgr.kind", "index")).as("timed index reads").isPositive();

        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> m.status().state() != ConnectionState.CONNECTED);
        assertThat(otel.value("regmgr.connection.state", "regmgr.state", "connected")).as("no longer connected").isZero();
        // 9P probes while the registry is down; the bridge's setup is its probe
        String tries = transport == Transport.STYX ? "probe" : "setup";
        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.connection.attempts", "regmgr.kind", tries,
                "regmgr.outcome", "failed") >= 1);
        net.registry.start();

        await().atMost(Network.WAIT).until(() -> otel.count("regmgr.connection.restore.duration") == 1);
        awaitRegistered(regs);
        assertThat(otel.value("regmgr.connection.connects")).as("connects").isEqualTo(2);
        assertThat(otel.value("regmgr.connection.reconnects")).as("reconnects").isEqualTo(1);
        assertThat(otel.min("regmgr.connection.restore.duration")).as("restore time (s)").isPositive();
        assertThat(otel.value("regmgr.registrations", "regmgr.state", "registered")).as("registered again").isEqualTo(2);
        assertThat(otel.value("regmgr.connection.probe.failures")).as("no probe failed").isZero();
        assertThat(otel.value("regmgr.registration.repairs")).as("a restore is not a repair").isZero();
        assertThat(otel.value("regmgr.connection.attempts", "regmgr.kind", "setup", "regmgr.outcome", "ok"))
                .as("sessions set up: the first and the reconnection").isEqualTo(2);
        assertThat(otel.value("regmgr.connection.attempts", "regmgr.kind", "probe", "regmgr.outcome", "ok"))
                .as("probes the registry accepted").isEqualTo(transport == Transport.STYX ? 1 : 0);
        if (transport == Transport.STYX) {
            assertThat(otel.value("regmgr.connection.attempts", "regmgr.kind", "setup", "regmgr.outcome", "failed"))
                    .as("no setup tried while the registry was down").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnansweredProbeIsCounted(Transport transport) {
        Duration probe = Duration.ofMillis(200);
        RegistryManager m = net.manager(transport, true, b -> b.probe(probe, probe).connectTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(1)), ManagerOptions.builder().metrics(otel.metrics));
        await().atMost(Network.WAIT).until(() -> m.status().isConnected());

        net.proxies().blackhole(true);
        await().atMost(Network.WAIT).until(() -> m.status().state() != ConnectionState.CONNECTED);
        net.proxies().blackhole(false);

        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.connection.probe.failures") == 1);
        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.connection.reconnects") == 1);
    }

    @Test
    void aRegistrationRemovedByAnotherClientIsRepairedAndCounted() {
        RegistryManager m = manager(Transport.STYX);
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "kind", "app"));
        Monitor mon = m.monitor(Filter.of("kind", "app"), new RecordingListener());
        awaitRegistered(List.of(r));
        await().atMost(Network.WAIT).until(mon::isSynced);
        other = StyxTestClient.connect(net.registry.styxPort());
        other.version(StyxTestClient.DEFAULT_MSIZE);
        other.attach(0, System.getProperty("user.name"));
        other.walk(0, 1, "svc");

        assertThat(other.rpc(new StyxMessage.Tremove(other.nextTag(), 1))).as("remove by another client")
                .isInstanceOf(StyxMessage.Rremove.class);

        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.monitor.deltas", "regmgr.kind", "added",
                "regmgr.origin", "live") == 1 && r.status().state() == RegistrationState.REGISTERED);
        assertThat(otel.value("regmgr.registration.repairs", "regmgr.kind", "absent")).as("repairs").isEqualTo(1);
        assertThat(otel.value("regmgr.monitor.deltas", "regmgr.monitor", MON, "regmgr.kind", "removed", "regmgr.origin", "live"))
                .as("removal seen").isEqualTo(1);
        assertThat(otel.count("regmgr.monitor.delivery.duration", "regmgr.monitor", MON)).as("live changes timed").isPositive();
        assertThat(otel.value("regmgr.connection.reconnects")).as("stayed connected").isZero();
    }

    @Test
    void aNameHeldByAnotherClientIsARefusalByReason() {
        net.otherClient().register(ServiceEntry.of("taken", "owner", "someone-else"));
        RegistryManager m = manager(Transport.STYX);
        ServiceRegistration r = m.register(ServiceEntry.of("taken", "kind", "app"));

        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.registration.refusals", "regmgr.reason", "duplicate_name") >= 1
                && r.status().state() == RegistrationState.CONFLICT);
        assertThat(otel.value("regmgr.registrations", "regmgr.state", "conflict")).as("conflict gauge").isEqualTo(1);
        assertThat(otel.value("regmgr.registrations", "regmgr.state", "registered")).as("registered gauge").isZero();
    }

    @Test
    void aFailingListenerIsCountedAndDeliveryGoesOn() {
        RegistryManager m = manager(Transport.STYX);
        Monitor mon = m.monitor(Filter.of("kind", "app"), new MonitorListener() {
            @Override
            public void added(ServiceEntry service, ChangeOrigin origin) {
                throw new IllegalStateException("listener fails on " + service.name());
            }
        });
        await().atMost(Network.WAIT).until(mon::isSynced);
        Network.OtherClient o = net.otherClient();
        o.register(ServiceEntry.of("x", "kind", "app"));
        o.register(ServiceEntry.of("y", "kind", "app"));

        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.monitor.listener.failures", "regmgr.monitor", MON) == 2);
        assertThat(otel.value("regmgr.monitor.deltas", "regmgr.kind", "added", "regmgr.origin", "live"))
                .as("both deltas delivered").isEqualTo(2);
        assertThat(otel.value("regmgr.monitor.services", "regmgr.monitor", MON)).as("view").isEqualTo(2);
        assertThat(otel.value("regmgr.monitor.backlog", "regmgr.monitor", MON)).as("nothing left to hear").isZero();
        assertThat(otel.value("regmgr.connection.state", "regmgr.state", "connected")).as("still connected").isEqualTo(1);
    }

    @Test
    void everyInstrumentHasItsUnitAndAClosedManagerLeavesNoGauges() {
        RegistryManager m = manager(Transport.STYX);
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "kind", "app"));
        m.monitor(Filter.of("kind", "app"), new RecordingListener());
        awaitRegistered(List.of(r));
        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.monitor.services") == 1);
        assertThat(otel.units()).as("units").containsEntry("regmgr.connection.state", "1")
                .containsEntry("regmgr.connection.connects", "{connect}").containsEntry("regmgr.registrations", "{registration}")
                .containsEntry("regmgr.monitor.services", "{service}").containsEntry("regmgr.monitor.backlog", "{delta}")
                .containsEntry("regmgr.registry.read.duration", "s").containsEntry("regmgr.registry.reads", "{read}");

        m.close();
        assertThat(otel.value("regmgr.registrations")).as("gauges of a closed manager").isZero();
        assertThat(otel.value("regmgr.connection.state")).as("connection gauge of a closed manager").isZero();
    }

    @Test
    void aMonitorIsNamedByTheNameItWasGivenElseByItsFilter() {
        RegistryManager m = manager(Transport.STYX);
        Monitor named = m.monitor("peers", Filter.of("kind", "app"), new RecordingListener());
        Monitor alsoPeers = m.monitor("peers", Filter.of("kind", "db"), new RecordingListener());
        Monitor unnamed = m.monitor(Filter.of("kind", "app"), new RecordingListener());
        Monitor all = m.monitor(Filter.all(), new RecordingListener());
        assertThat(List.of(named.name(), alsoPeers.name(), unnamed.name(), all.name())).as("names")
                .containsExactly("peers", "peers", MON, "*");
        await().atMost(Network.WAIT).until(() -> Stream.of(named, alsoPeers, unnamed, all).allMatch(Monitor::isSynced));
        Network.OtherClient o = net.otherClient();
        o.register(ServiceEntry.of("x", "kind", "app"));
        o.register(ServiceEntry.of("y", "kind", "db"));

        await().atMost(Network.WAIT).until(() -> otel.value("regmgr.monitor.services", "regmgr.monitor", "*") == 2
                && otel.value("regmgr.monitor.deltas", "regmgr.monitor", "peers", "regmgr.origin", "live") == 2);
        assertThat(otel.attributeValues("regmgr.monitor.services", "regmgr.monitor")).as("one series per name")
                .containsExactly("*", MON, "peers");
        assertThat(otel.value("regmgr.monitor.services", "regmgr.monitor", "peers")).as("two monitors named peers, added up")
                .isEqualTo(2);
        assertThat(otel.value("regmgr.monitor.services", "regmgr.monitor", MON)).as("unnamed: its filter").isEqualTo(1);
        assertThat(otel.attributeValues("regmgr.monitor.deltas", "regmgr.monitor")).as("deltas by name")
                .containsExactly("*", MON, "peers");
    }

    @Test
    void aMonitorNameThatIsNotAFewPlainCharactersIsRefused() {
        RegistryManager m = manager(Transport.STYX);
        assertThatThrownBy(() -> m.monitor("peers of orders", Filter.of("kind", "app"), new RecordingListener()))
                .isInstanceOf(InvalidEntryException.class).hasMessage("Invalid monitor name 'peers of orders': contains ' '"
                        + " at index 5 (a monitor name is 1 to 64 ASCII letters, digits, '-' and '_')");
        assertThatThrownBy(() -> m.monitor("", Filter.all(), new RecordingListener()))
                .isInstanceOf(InvalidEntryException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> m.monitor("x".repeat(1_000_000), Filter.all(), new RecordingListener()))
                .isInstanceOf(InvalidEntryException.class)
                .hasMessage("Invalid monitor name 'xxxxxxxxxxxxxxxx...' (1000000 characters): longer than 64"
                        + " (a monitor name is 1 to 64 ASCII letters, digits, '-' and '_')");
        assertThat(m.monitor("x".repeat(64), Filter.all(), new RecordingListener()).name()).as("64 is allowed").hasSize(64);
        assertThat(m.monitor(Filter.of("addr", "tcp!secret-db!5432", "kind", "db"), new RecordingListener()).name())
                .as("an unnamed monitor is named by its attribute names, never its values").isEqualTo("addr kind");
    }
}
