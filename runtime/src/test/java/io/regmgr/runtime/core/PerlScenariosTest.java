package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.ChangeOrigin;
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

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The original Inferno::RegMgr's scenarios, over both transports against the embedded registry:
 * a lookup before and after a registry restart, and a monitor with a two-attribute filter.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PerlScenariosTest {
    private final Network net;

    /** @param profile the kind of real registry the embedded one behaves like */
    PerlScenariosTest(RegistryProfile profile) {
        this.net = new Network(profile);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void reconnect(Transport transport) {
        RegistryManager m = net.manager(transport);
        ServiceRegistration srv = m.register(ServiceEntry.of("tcp!127.0.0.1!5000", "proto", "tcp", "app", "reconnect"));
        await().atMost(Network.WAIT).until(() -> srv.status().state() == RegistrationState.REGISTERED);
        assertThat(Network.join(m.lookup(Filter.of("app", "reconnect")))).as("lookup before the restart")
                .containsExactly(srv.entry());

        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> !m.status().isConnected());
        CompletableFuture<List<ServiceEntry>> whileDown = m.lookup(Filter.of("app", "reconnect")).toCompletableFuture();
        net.registry.start();

        assertThat(Network.join(whileDown)).as("lookup made while the registry was down").containsExactly(srv.entry());
        assertThat(Network.join(m.lookup(Filter.of("app", "reconnect")))).as("lookup after the restart")
                .containsExactly(srv.entry());
        assertThat(net.registry.services()).as("registered again").contains(srv.entry());
        assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void filter(Transport transport) {
        RegistryManager m = net.manager(transport);
        ServiceRegistration s1 = m.register(ServiceEntry.of("srv1", "proto", "tcp", "kind", "db"));
        ServiceRegistration s2 = m.register(ServiceEntry.of("srv2", "proto", "udp", "kind", "db"));
        ServiceRegistration s3 = m.register(ServiceEntry.of("srv3", "proto", "tcp", "kind", "web"));
        await().atMost(Network.WAIT).until(() -> List.of(s1, s2, s3).stream()
                .allMatch(s -> s.status().state() == RegistrationState.REGISTERED));
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.of("proto", "tcp", "kind", "db"), rec);
        await().atMost(Network.WAIT).until(mon::isSynced);
        assertThat(rec.all()).as("initial sync").containsExactly("added srv1 INITIAL_SYNC");

        Network.join(s2.update(Attributes.of("proto", "tcp")));
        await().atMost(Network.WAIT).until(() -> rec.deltas.size() == 2);
        assertThat(rec.deltas.get(1).toString()).as("the update makes srv2 match").isEqualTo("added srv2 LIVE");

        m.detach(s1);
        await().atMost(Network.WAIT).until(() -> rec.deltas.size() == 3);
        assertThat(rec.deltas.get(2).toString()).as("detached srv1 is gone").isEqualTo("removed srv1 LIVE");
        assertThat(mon.view().keySet()).as("view").containsExactly("srv2");
        assertThat(rec.replay()).as("replayed deltas").isEqualTo(mon.view());
        assertThat(rec.of(ChangeOrigin.RESYNC)).as("no resync").isEmpty();
    }
}
