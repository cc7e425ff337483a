package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.ConnectionState;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.runtime.server.RegistryProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many tasks on one manager over a real transport: one index read per change for 100 monitors;
 * 1,000 services and 100 monitors through a registry restart, with detaches while reconnecting;
 * close while reconnecting leaves no thread and no socket; listeners that throw or block delay
 * no other monitor.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManyTasksTest {
    private static final int SERVICES = 1_000;
    private static final int MONITORS = 100;
    private static final int GROUPS = 10;

    private final Network net;

    /** @param profile the kind of real registry the embedded one behaves like */
    ManyTasksTest(RegistryProfile profile) {
        this.net = new Network(profile);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    private static long reads(RegistryCounters c) {
        return c.indexReads() + c.findReads(); // the bridge reads the index with a find
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneIndexReadPerChangeForAHundredMonitors(Transport transport) {
        RegistryManager m = net.manager(transport);
        List<RecordingListener> recs = new ArrayList<>();
        List<Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < MONITORS; i++) {
            RecordingListener rec = new RecordingListener();
            recs.add(rec);
            monitors.add(m.monitor(Filter.of("group", Integer.toString(i % GROUPS)), rec));
        }
        await().atMost(Network.WAIT).until(() -> monitors.stream().allMatch(Monitor::isSynced));
        Network.OtherClient other = net.otherClient();
        long before = reads(net.registry.counters());

        other.register(ServiceEntry.of("one-change", "group", "3"));

        await().atMost(Network.WAIT).until(() -> monitors.get(3).view().containsKey("one-change"));
        await().during(Duration.ofMillis(200)).atMost(Network.WAIT)
                .until(() -> reads(net.registry.counters()) - before == 1);
        assertThat(reads(net.registry.counters()) - before).as("index reads for one change seen by 100 monitors").isEqualTo(1);
        long told = recs.stream().filter(r -> r.all().contains("added one-change LIVE")).count();
        assertThat(told).as("monitors of group 3 told").isEqualTo(MONITORS / GROUPS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aThousandServicesAndAHundredMonitorsThroughARestartWithDetachesAndACloseWhileReconnecting(Transport transport) {
        long baseline = net.registry.counters().openConnections();
        String name = "many-" + transport.name().toLowerCase();
        RegistryManager m = net.manager(transport, false, UnaryOperator.identity(), ManagerOptions.builder().name(name));
        List<ServiceRegistration> services = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            services.add(m.register(ServiceEntry.of("svc" + i, "group", Integer.toString(i % GROUPS))));
        }
        List<RecordingListener> recs = new ArrayList<>();
        List<Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < MONITORS; i++) {
            RecordingListener rec = new RecordingListener();
            recs.add(rec);
            monitors.add(m.monitor(Filter.of("group", Integer.toString(i % GROUPS)), rec));
        }
        await().atMost(Network.WAIT).until(() -> services.stream().allMatch(s -> s.status().state() == RegistrationState.REGISTERED)
                && monitors.stream().allMatch(mon -> mon.isSynced() && mon.view().size() == SERVICES / GROUPS));

        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> m.status().state() != ConnectionState.CONNECTED);
        List<ServiceRegistration> detached = services.subList(0, SERVICES / 2);
        detached.forEach(m::detach);
        monitors.subList(0, MONITORS / 2).forEach(m::detach);
        net.registry.start();

        List<ServiceRegistration> kept = services.subList(SERVICES / 2, SERVICES);
        await().atMost(Network.WAIT).until(() -> kept.stream().allMatch(s -> s.status().state() == RegistrationState.REGISTERED)
                && monitors.subList(MONITORS / 2, MONITORS).stream().allMatch(mon -> mon.isSynced()
                        && mon.view().size() == SERVICES / GROUPS / 2));
        Set<String> names = net.registry.services().stream().map(ServiceEntry::name).collect(Collectors.toSet());
        assertThat(names).as("only the services still attached").hasSize(SERVICES / 2)
                .allMatch(n -> Integer.parseInt(n.substring(3)) >= SERVICES / 2);
        assertThat(detached).as("detached registrations").allMatch(s -> s.status().state() == RegistrationState.DETACHED);
        assertThat(monitors.subList(0, MONITORS / 2)).as("detached monitors keep their view, unsynced")
                .allMatch(mon -> !mon.isSynced() && mon.view().size() == SERVICES / GROUPS);
        for (int i = MONITORS / 2; i < MONITORS; i++) {
            assertThat(recs.get(i).of(ChangeOrigin.RESYNC)).as("resync of monitor %d: the detached half is gone", i)
                    .hasSize(SERVICES / GROUPS / 2).allMatch(d -> d.startsWith("removed "));
            assertThat(recs.get(i).replay()).as("replay of monitor %d", i).isEqualTo(monitors.get(i).view());
        }

        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> m.status().state() != ConnectionState.CONNECTED);
        m.close();
        net.registry.start();

        assertThat(m.status().state()).as("closed").isEqualTo(ConnectionState.CLOSED);
        assertThat(kept).as("registrations after close").allMatch(s -> s.status().state() == RegistrationState.DETACHED);
        await().during(Duration.ofMillis(300)).atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(net.registry.services()).as("nothing registered after close").isEmpty();
            assertThat(net.registry.counters().openConnections()).as("sockets").isEqualTo(baseline);
        });
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .as("threads of the manager").noneMatch(t -> t.getName().startsWith(name)));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerThatThrowsOrBlocksDelaysNoOtherMonitor(Transport transport) {
        RegistryManager m = net.manager(transport);
        CountDownLatch release = new CountDownLatch(1);
        m.monitor(Filter.all(), new MonitorListener() {
            @Override
            public void added(ServiceEntry service, ChangeOrigin origin) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }
        });
        RecordingListener blocked = new RecordingListener();
        m.monitor(Filter.all(), new MonitorListener() {
            @Override
            public void added(ServiceEntry service, ChangeOrigin origin) {
                blocked.added(service, origin);
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        RecordingListener rec = new RecordingListener();
        m.monitor(Filter.all(), rec);
        Network.OtherClient other = net.otherClient();

        for (int i = 0; i < 5; i++) {
            other.register(ServiceEntry.of("s" + i, "k", "v"));
            int expected = i + 1;
            await().atMost(Network.WAIT).until(() -> rec.replay().size() == expected);
        }
        assertThat(blocked.deltas).as("the blocked listener is still on its first delta").hasSize(1);
        release.countDown();
        await().atMost(Network.WAIT).until(() -> blocked.replay().size() == 5);
    }
}
