package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.ConnectionState;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.RegistryProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registry restart in the middle of a test: the registry stops and starts on the same ports with
 * a fresh state, and another client changes it before the manager gets back (its proxy refuses it
 * meanwhile). The manager's services come back; each monitor reports exactly what changed
 * (addition, modification, removal) and nothing about the manager's own services; the restart is
 * detected.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegistryRestartTest {
    private static final int SERVICES = 100;

    private final Network net;

    /** @param profile the kind of real registry the embedded one behaves like */
    RegistryRestartTest(RegistryProfile profile) {
        this.net = new Network(profile);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servicesComeBackAndMonitorsReportExactlyWhatChanged(Transport transport) {
        RegistryManager m = net.manager(transport, true, UnaryOperator.identity(), ManagerOptions.builder());
        List<ServiceRegistration> ours = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            ours.add(m.register(ServiceEntry.of("svc" + i, "kind", "app", "n", Integer.toString(i))));
        }
        Network.OtherClient before = net.otherClient();
        before.register(ServiceEntry.of("o-keep", "kind", "app", "v", "1"));
        before.register(ServiceEntry.of("o-mod", "kind", "app", "v", "1"));
        before.register(ServiceEntry.of("o-gone", "kind", "app"));
        RestartProbe probe = new RestartProbe();
        m.attach(probe);
        List<RecordingListener> recs = new ArrayList<>();
        List<Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingListener rec = new RecordingListener();
            recs.add(rec);
            monitors.add(m.monitor(i == 2 ? Filter.of("v", "*") : Filter.of("kind", "app"), rec));
        }
        await().atMost(Network.WAIT).until(() -> monitors.get(0).view().size() == SERVICES + 3
                && monitors.get(2).view().size() == 2 && monitors.stream().allMatch(Monitor::isSynced));

        net.proxies().refuse(true);
        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> m.status().state() == ConnectionState.DISCONNECTED);
        net.registry.start();
        Network.OtherClient after = net.otherClient();
        after.register(ServiceEntry.of("o-keep", "kind", "app", "v", "1"));
        after.register(ServiceEntry.of("o-mod", "kind", "app", "v", "2"));
        after.register(ServiceEntry.of("o-new", "kind", "app"));
        net.proxies().refuse(false);

        // Quiet once the registry holds our services again, each view is the registry filtered and
        // every listener has had its deltas (they replay to the view): the resync's deltas arrive after
        // the views change, so sizes alone could be reached before a modification is delivered.
        await().atMost(Network.WAIT).until(() -> ours.stream().allMatch(r -> r.status().state() == RegistrationState.REGISTERED)
                && monitors.stream().allMatch(Monitor::isSynced)
                && monitors.get(0).view().equals(registryWith("kind")) && monitors.get(2).view().equals(registryWith("v"))
                && IntStream.range(0, recs.size()).allMatch(i -> recs.get(i).replay().equals(monitors.get(i).view())));
        assertThat(net.registry.services()).as("our services are back")
                .containsAll(ours.stream().map(ServiceRegistration::entry).toList());
        assertThat(recs.get(0).of(ChangeOrigin.RESYNC)).as("resync of kind=app")
                .containsExactlyInAnyOrder("modified o-mod", "removed o-gone", "added o-new");
        assertThat(recs.get(1).of(ChangeOrigin.RESYNC)).as("resync of the second monitor")
                .containsExactlyInAnyOrder("modified o-mod", "removed o-gone", "added o-new");
        assertThat(recs.get(2).of(ChangeOrigin.RESYNC)).as("resync of v=*").containsExactly("modified o-mod");
        assertThat(recs.get(0).of(ChangeOrigin.LIVE)).as("nothing live about our own services").isEmpty();
        for (int i = 0; i < monitors.size(); i++) {
            assertThat(recs.get(i).replay()).as("deltas replayed give the view of monitor %d", i)
                    .isEqualTo(monitors.get(i).view());
        }
        assertThat(monitors.get(0).view()).as("view equals the registry").isEqualTo(registryWith("kind"));
        assertThat(probe.restartSeen()).as("restart detected").isTrue();
        assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
    }

    /** @return the registry's services that have attribute {@code attr}, by name */
    private Map<String, ServiceEntry> registryWith(String attr) {
        Map<String, ServiceEntry> expected = new HashMap<>();
        net.registry.services().stream().filter(e -> e.attributes().get(attr).isPresent())
                .forEach(e -> expected.put(e.name(), e));
        return expected;
    }
}
