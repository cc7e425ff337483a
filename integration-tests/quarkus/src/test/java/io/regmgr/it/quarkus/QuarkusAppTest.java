package io.regmgr.it.quarkus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The app in Quarkus (ArC runs the build-compatible extension) against an embedded registry. */
@QuarkusTest
@QuarkusTestResource(RegistryResource.class)
class QuarkusAppTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theServiceIsInTheRegistry() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(RegistryResource.registry.services())
                .as("what the registry lists")
                .anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("tcp!127.0.0.1!8080");
                    assertThat(s.attributes().asMap()).containsEntry("proto", "http").containsEntry("group", "it");
                }));
    }

    @Test
    void aServiceRegisteredByAnotherClientArrivesAsAnEvent() {
        try (RegistryManager other = RegistryManagers.styx(
                ConnectorOptions.builder(RegistryResource.registry.styxAddress().toString()).build(), ManagerOptions.defaults())) {
            other.register(ServiceEntry.of("tcp!10.0.0.7!9000", "group", "it", "proto", "http"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(RestAssured.get("/peers").asString().lines().toList())
                    .as("GET /peers").contains("tcp!10.0.0.7!9000"));
        }
    }

    @Test
    void readinessReportsTheRegistryCheck() {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath body = RestAssured.get("/q/health/ready").jsonPath();
            List<Map<String, Object>> checks = body.getList("checks");
            assertThat(checks).as("readiness checks").anySatisfy(check -> {
                assertThat(check).containsEntry("name", "regmgr").containsEntry("status", "UP");
                assertThat(check.get("data")).asString().contains("1/1 registered");
            });
            assertThat(body.getString("status")).as("readiness").isEqualTo("UP");
        });
    }
}
