package io.regmgr.runtime.cdi.health;

import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness and liveness: up only when connected, registered and synced; an unreachable
 * registry (down, with the connection's error) and an empty one (up, monitors at 0) look
 * different; down while the registry is gone, up again when it returns.
 */
class HealthChecksTest {
    final EmbeddedRegistry registry = CdiTesting.startRegistry();

    @ApplicationScoped
    @RegistryService(name = "tcp!me!1", attributes = "kind=me")
    @RegistryMonitor(name = "peers", filter = "kind=peer")
    static class App {
    }

    /** Holds the checks, as a health endpoint would look them up. */
    @ApplicationScoped
    static class Checks {
        @Inject
        @Readiness
        HealthCheck readiness;
        @Inject
        @Liveness
        HealthCheck liveness;

        HealthCheckResponse ready() {
            return readiness.call();
        }

        HealthCheckResponse live() {
            return liveness.call();
        }
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void emptyRegistryIsReadyWithZeroPeers() {
        try (WeldContainer c = CdiTesting.weld(CdiTesting.config(registry), App.class, Checks.class).initialize()) {
            Checks checks = c.select(Checks.class).get();
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(checks.ready())
                    .extracting(HealthCheckResponse::getStatus).isEqualTo(HealthCheckResponse.Status.UP));
            HealthCheckResponse ready = checks.ready();
            assertThat(ready.getName()).isEqualTo("regmgr");
            assertThat(ready.getData()).get().as("readiness data of an empty registry").satisfies(data -> {
                assertThat(data).containsEntry("connection", "CONNECTED").containsEntry("services", "1/1 registered")
                        .containsEntry("monitor.peers", 0L).doesNotContainKeys("error", "monitors-not-synced");
            });
            assertThat(checks.live().getStatus()).as("liveness").isEqualTo(HealthCheckResponse.Status.UP);
        }
    }

    @Test
    void unreachableRegistryIsNotReadyAndSaysWhy() {
        registry.stop();
        try (WeldContainer c = CdiTesting.weld(CdiTesting.config(registry), App.class, Checks.class).initialize()) {
            Checks checks = c.select(Checks.class).get();
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(checks.ready().getData()).get()
                    .satisfies(data -> assertThat(data).containsKey("error")));
            HealthCheckResponse ready = checks.ready();
            Map<String, Object> data = ready.getData().orElseThrow();
            assertThat(ready.getStatus()).as("readiness").isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(data).as("readiness data of an unreachable registry")
                    .containsEntry("services", "0/1 registered")
                    .containsEntry("monitors-not-synced", "peers")
                    .hasEntrySatisfying("connection", v -> assertThat(v).isIn("CONNECTING", "DISCONNECTED"))
                    .hasEntrySatisfying("services-not-registered", v -> assertThat((String) v).startsWith("app (tcp!me!1): PENDING"))
                    .hasEntrySatisfying("registry", v -> assertThat((String) v).contains(registry.styxAddress().toString()));
            assertThat(checks.live().getStatus()).as("liveness while reconnecting").isEqualTo(HealthCheckResponse.Status.UP);
        }
    }

    @Test
    void readinessGoesDownWhileTheRegistryIsGoneAndUpWhenItReturns() {
        try (WeldContainer c = CdiTesting.weld(CdiTesting.config(registry), App.class, Checks.class).initialize()) {
            Checks checks = c.select(Checks.class).get();
            await().atMost(CdiTesting.WAIT).until(() -> checks.ready().getStatus() == HealthCheckResponse.Status.UP);
            registry.stop();
            await().atMost(CdiTesting.WAIT).until(() -> checks.ready().getStatus() == HealthCheckResponse.Status.DOWN);
            registry.start();
            await().atMost(CdiTesting.WAIT).until(() -> checks.ready().getStatus() == HealthCheckResponse.Status.UP);
        }
    }
}
