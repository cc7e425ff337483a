package io.regmgr.runtime.cdi.handles;

import io.regmgr.Attributes;
import io.regmgr.Monitor;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.SharedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Injection of handles: a bean's own registration ({@code @Registered}), any service's by id,
 * a monitor's view ({@code @Monitored}), the same objects wherever injected.
 */
@EnableWeld
class HandleInjectionTest {
    @RegisterExtension
    static final SharedRegistry SHARED = new SharedRegistry();

    @ApplicationScoped
    @RegistryService(name = "tcp!orders!80", attributes = {"kind=orders", "load=low"})
    static class Orders {
        @Inject
        @Registered
        ServiceRegistration self;

        ServiceRegistration self() {
            return self;
        }

        void overloaded() throws Exception {
            self.update(Attributes.of("load", "high")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @ApplicationScoped
    @RegistryMonitor(name = "peers", filter = "kind=peer")
    static class Peers {
        @Inject
        @Monitored
        Monitor own;

        Monitor own() {
            return own;
        }
    }

    @Dependent
    static class Admin {
        @Inject
        @Registered("orders")
        ServiceRegistration orders;
        @Inject
        @Monitored("peers")
        Monitor peers;
    }

    @WeldSetup
    WeldInitiator weld = SHARED.initiator(Orders.class, Peers.class, Admin.class);

    @Inject
    Orders orders;
    @Inject
    Peers peers;
    @Inject
    Admin admin;
    @Inject
    RegistryManager manager;

    @Test
    void ownRegistrationUpdatesAttributesLive() throws Exception {
        assertThat(orders.self().name()).as("own registration's name").isEqualTo("tcp!orders!80");
        await().atMost(CdiTesting.WAIT).until(() -> orders.self().status().state() == RegistrationState.REGISTERED);
        orders.overloaded();
        assertThat(SHARED.registry().services()).as("what the registry lists after update")
                .filteredOn(s -> s.name().equals("tcp!orders!80"))
                .singleElement().satisfies(s -> assertThat(s.attributes().get("load")).hasValue("high"));
        assertThat(orders.self().entry().attributes().get("load")).as("the handle's merged attributes").hasValue("high");
    }

    @Test
    void handlesAreTheSameObjectsWhereverInjected() {
        assertThat(admin.orders).as("@Registered(\"orders\") and the bean's own @Registered").isSameAs(orders.self());
        assertThat(admin.peers).as("@Monitored(\"peers\") and the declaring bean's @Monitored").isSameAs(peers.own());
        assertThat(orders.self().manager()).as("the registration's manager").isPresent();
    }

    @Test
    void monitorViewShowsAPeerRegisteredByAnotherClient() {
        try (RegistryManager other = CdiTesting.peer(SHARED.registry())) {
            other.register(ServiceEntry.of("tcp!peer!1", "kind", "peer"));
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
                assertThat(peers.own().view()).as("the monitor's view").containsOnlyKeys("tcp!peer!1");
                assertThat(peers.own().isSynced()).as("synced").isTrue();
            });
        }
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(peers.own().view())
                .as("the view once the other client is gone").isEmpty());
    }
}
