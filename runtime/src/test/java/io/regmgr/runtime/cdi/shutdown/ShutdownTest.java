package io.regmgr.runtime.cdi.shutdown;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.MonitorListener;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.Recorder;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the application unregisters its services at once: another client sees them removed,
 * the registry no longer lists them, and no disconnection event is fired for a stop.
 */
class ShutdownTest {
    final EmbeddedRegistry registry = CdiTesting.startRegistry();
    final RegistryManager other = CdiTesting.peer(registry);

    @ApplicationScoped
    @RegistryService(name = "tcp!leaving!1", attributes = "kind=leaving")
    @RegistryMonitor(name = "own", filter = "kind=leaving")
    static class Leaving {
        @Inject
        @Registered
        ServiceRegistration self;

        ServiceRegistration self() {
            return self;
        }

        /** Outlives the container, which the assertions run after. */
        static final List<Object> DISCONNECTIONS = new CopyOnWriteArrayList<>();

        void disconnected(@Observes RegistryDisconnected event) {
            DISCONNECTIONS.add(event);
        }
    }

    @AfterEach
    void close() {
        other.close();
        registry.close();
    }

    @Test
    void servicesAreUnregisteredWhenTheContainerStops() {
        List<String> removed = new CopyOnWriteArrayList<>();
        other.monitor(Filter.of("kind", "leaving"), new MonitorListener() {
            @Override
            public void removed(ServiceEntry service, ChangeOrigin origin) {
                removed.add(service.name() + " " + origin);
            }
        });
        ServiceRegistration self;
        try (WeldContainer container = CdiTesting.weld(CdiTesting.config(registry), Leaving.class, Recorder.class).initialize()) {
            self = container.select(Leaving.class).get().self();
            Recorder recorder = container.select(Recorder.class).get();
            await().atMost(CdiTesting.WAIT).until(() -> self.status().state() == RegistrationState.REGISTERED);
            await().atMost(CdiTesting.WAIT).until(() -> !recorder.changes().isEmpty());
        }
        assertThat(self.status().state()).as("the registration once the container is down").isEqualTo(RegistrationState.DETACHED);
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
            assertThat(registry.services()).as("what the registry lists").extracting(ServiceEntry::name)
                    .doesNotContain("tcp!leaving!1");
            assertThat(removed).as("what another client saw").containsExactly("tcp!leaving!1 LIVE");
        });
        assertThat(Leaving.DISCONNECTIONS).as("disconnection events of the stopped application").isEmpty();
    }
}
