package io.regmgr.runtime.cdi.discovery;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.cdi.ServiceAdded;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.Recorder;
import io.regmgr.runtime.cdi.SharedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Discovery: annotated beans are found, their services registered and their monitors started
 * without the beans ever being instantiated; the library's own beans (the manager, the health
 * checks) exist although its jar has no beans.xml.
 */
@EnableWeld
class DiscoveryTest {
    @RegisterExtension
    static final SharedRegistry SHARED = new SharedRegistry();

    @ApplicationScoped
    @RegistryService(name = "tcp!orders.example!8080", attributes = {"proto=http", "kind=orders"})
    static class Orders {
    }

    @Dependent
    @RegistryMonitor(name = "everything")
    @RegistryMonitor(name = "web", filter = "proto=http")
    static class Watchers {
    }

    @WeldSetup
    WeldInitiator weld = SHARED.initiator(Orders.class, Watchers.class, Recorder.class);

    @Inject
    RegistryManager manager;
    @Inject
    Recorder recorder;
    @Inject
    @Readiness
    HealthCheck readiness;

    @Test
    void declaredServiceIsRegisteredWithoutTheBeanBeingCreated() {
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(SHARED.registry().services())
                .as("services the registry lists")
                .anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("tcp!orders.example!8080");
                    assertThat(s.attributes().asMap()).containsEntry("proto", "http").containsEntry("kind", "orders");
                }));
    }

    @Test
    void repeatedMonitorsOnOneBeanEachFireTheirEvents() {
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
            assertThat(recorder.of("everything")).as("changes of 'everything'")
                    .anySatisfy(c -> assertThat(c).isInstanceOf(ServiceAdded.class)
                            .extracting(ServiceAdded.class::cast).satisfies(a -> {
                                assertThat(a.name()).isEqualTo("tcp!orders.example!8080");
                                assertThat(a.origin()).isIn(ChangeOrigin.INITIAL_SYNC, ChangeOrigin.LIVE);
                            }));
            assertThat(recorder.of("web")).as("changes of 'web'").extracting(c -> c.name())
                    .contains("tcp!orders.example!8080");
        });
    }

    @Test
    void managerIsInjectableForProgrammaticWork() throws Exception {
        ServiceRegistration extra = manager.register(ServiceEntry.of("tcp!extra!1", "kind", "extra"));
        List<ServiceEntry> found = manager.lookup(Filter.of("kind", "extra")).toCompletableFuture()
                .get(CdiTesting.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(found).as("lookup after a programmatic registration").extracting(ServiceEntry::name)
                .containsExactly("tcp!extra!1");
        manager.detach(extra);
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(SHARED.registry().services())
                .as("services after detaching the programmatic one").extracting(ServiceEntry::name)
                .doesNotContain("tcp!extra!1"));
    }

    @Test
    void readinessCheckIsABeanAndTurnsUp() {
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(readiness.call().getStatus())
                .as("readiness once connected, registered and synced").isEqualTo(HealthCheckResponse.Status.UP));
    }
}
