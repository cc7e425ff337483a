package io.regmgr.runtime.cdi.exported;

import io.regmgr.ServiceEntry;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CDI front end on Weld against a registry that behaves like a real exported one (Tstat
 * broken above msize 65544, iounit 8192, every client the same owner), with the default options:
 * the service is registered, another client's service reaches the monitor, readiness is UP.
 */
class ExportedRegistryReadinessTest {
    private final EmbeddedRegistry registry = EmbeddedRegistry.builder().profile(RegistryProfile.EXPORTED).build().start();
    private final StyxConnector other = new StyxConnector(ConnectorOptions.builder(registry.styxAddress().toString()).build());

    private static final SessionListener IGNORED = new SessionListener() {
        @Override
        public void changed(long version) {
        }

        @Override
        public void closed(Throwable cause) {
        }
    };

    @ApplicationScoped
    @RegistryService(name = "tcp!me!1", attributes = "kind=me")
    @RegistryMonitor(name = "peers", filter = "kind=peer")
    static class App {
    }

    @AfterEach
    void close() {
        other.close();
        registry.close();
    }

    @Test
    void readinessIsUpWithTheDefaultOptions() throws Exception {
        RegistrySession peer = other.connect(IGNORED).toCompletableFuture().get(10, TimeUnit.SECONDS);
        peer.register(ServiceEntry.of("tcp!peer!2", "kind", "peer"), RegistrationListener.NONE)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (WeldContainer c = CdiTesting.weld(CdiTesting.config(registry), App.class).initialize()) {
            // looked up as a health endpoint does
            HealthCheck readiness = c.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(readiness.call().getStatus())
                    .as("readiness against the EXPORTED profile: %s", readiness.call().getData())
                    .isEqualTo(HealthCheckResponse.Status.UP));
            assertThat(readiness.call().getData()).get().as("readiness data").satisfies(data -> assertThat(data)
                    .containsEntry("connection", "CONNECTED").containsEntry("services", "1/1 registered")
                    .containsEntry("monitor.peers", 1L));
            assertThat(registry.services()).as("services in the registry").extracting(ServiceEntry::name)
                    .containsExactlyInAnyOrder("tcp!peer!2", "tcp!me!1");
        }
    }
}
