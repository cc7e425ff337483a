package io.regmgr.example;

import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.AfterStop;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example app in Helidon against a registry of its own (an embedded one on a loopback port the
 * OS chose, as a real registry would be: outside the app), with a second client.
 */
@HelidonTest
class ExampleAppTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static EmbeddedRegistry registry;
    private static int httpPort;

    /** Starts the registry before the app and points the app at it; the app's name is its real HTTP address. */
    @AddConfigSource
    static ConfigSource config() {
        registry = EmbeddedRegistry.builder().build().start();
        httpPort = freePort();
        return new Overrides(Map.of(
                "server.port", String.valueOf(httpPort),
                "regmgr.embedded.enabled", "false",
                "regmgr.address", registry.styxAddress().toString(),
                "regmgr.reconnect.initial-delay", "20ms",
                "regmgr.reconnect.max-delay", "200ms"));
    }

    /** Closes the registry once the app has stopped (and unregistered). */
    @AfterStop
    static void stopRegistry() {
        registry.close();
    }

    @Inject
    WebTarget target;

    @Test
    void readinessTurnsUpAndTheAppIsRegisteredUnderItsHttpAddress() {
        awaitReadiness(200);
        JsonObject check = readinessCheck();
        assertThat(check.getString("status")).as("the regmgr check").isEqualTo("UP");
        assertThat(check.getJsonObject("data").getString("services")).isEqualTo("1/1 registered");
        assertThat(registry.services()).as("what the registry lists").anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("tcp!127.0.0.1!" + httpPort);
            assertThat(s.attributes().asMap()).containsEntry("proto", "http").containsEntry("kind", "orders")
                    .containsEntry("group", "demo");
        });
    }

    @Test
    void servicesShowsAPeerRegisteredByASecondClient() {
        try (RegistryManager second = RegistryManagers.styx(ConnectorOptions.builder(registry.styxAddress().toString()).build(),
                ManagerOptions.defaults())) {
            second.register(ServiceEntry.of("tcp!10.0.0.7!9000", "proto", "http", "group", "demo", "kind", "billing"));
            second.register(ServiceEntry.of("tcp!10.0.0.8!9000", "proto", "http", "group", "other"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(services().getJsonArray("services"))
                    .as("GET /services").extracting(v -> v.asJsonObject().getString("name"))
                    .containsExactlyInAnyOrder("tcp!10.0.0.7!9000", "tcp!127.0.0.1!" + httpPort));
            JsonObject peer = services().getJsonArray("services").stream().map(v -> v.asJsonObject())
                    .filter(o -> o.getString("name").equals("tcp!10.0.0.7!9000")).findFirst().orElseThrow();
            assertThat(peer.getBoolean("self")).isFalse();
            assertThat(peer.getJsonObject("attributes").getString("kind")).isEqualTo("billing");
            assertThat(peer.getString("lastChange")).as("time of the last change").isNotBlank();
            assertThat(peer.getString("origin")).isIn("LIVE", "INITIAL_SYNC");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(services().getJsonArray("services"))
                .as("GET /services once the second client is gone").hasSize(1));
    }

    @Test
    void ownAttributeIsUpdatedLive() {
        awaitReadiness(200);
        try (Response r = target.path("/services/self/load").request().put(Entity.entity("high", MediaType.TEXT_PLAIN))) {
            assertThat(r.getStatus()).as("PUT /services/self/load").isIn(200, 204);
        }
        assertThat(registry.services()).filteredOn(s -> s.name().equals("tcp!127.0.0.1!" + httpPort)).singleElement()
                .satisfies(s -> assertThat(s.attributes().get("load")).as("load in the registry").hasValue("high"));
    }

    @Test
    void readinessGoesDownWithDataWhileTheRegistryIsGoneAndUpWhenItReturns() {
        awaitReadiness(200);
        registry.stop();
        awaitReadiness(503);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonObject data = readinessCheck().getJsonObject("data");
            assertThat(data).as("readiness data while the registry is gone")
                    .containsKeys("error", "monitors-not-synced", "services-not-registered");
            assertThat(data.getString("connection")).isIn("DISCONNECTED", "CONNECTING");
        });
        assertThat(services().getJsonObject("registry").getBoolean("connected")).as("registry in /services").isFalse();
        registry.start();
        awaitReadiness(200);
        assertThat(services().getJsonObject("registry").getBoolean("connected")).isTrue();
        assertThat(registry.services()).as("the app registered again").extracting(ServiceEntry::name)
                .contains("tcp!127.0.0.1!" + httpPort);
    }

    private void awaitReadiness(int status) {
        awaitReadiness(target, status);
    }

    /** Waits until {@code app}'s readiness endpoint answers {@code status}. */
    static void awaitReadiness(WebTarget app, int status) {
        await().atMost(WAIT).until(() -> {
            try (Response r = app.path("/health/ready").request().get()) {
                return r.getStatus() == status;
            }
        });
    }

    private JsonObject readinessCheck() {
        return readinessCheck(target);
    }

    /** @return the {@code regmgr} check of {@code app}'s readiness answer */
    static JsonObject readinessCheck(WebTarget app) {
        try (Response r = app.path("/health/ready").request().get()) {
            return r.readEntity(JsonObject.class).getJsonArray("checks").stream().map(v -> v.asJsonObject())
                    .filter(c -> c.getString("name").equals("regmgr")).findFirst().orElseThrow();
        }
    }

    private JsonObject services() {
        return target.path("/services").request(MediaType.APPLICATION_JSON).get(JsonObject.class);
    }

    /** Configuration above the test's synthetic one (ordinal 1000, which sets server.port=0). */
    record Overrides(Map<String, String> map) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return map.keySet();
        }

        @Override
        public String getValue(String key) {
            return map.get(key);
        }

        @Override
        public String getName() {
            return "example-app-test";
        }

        @Override
        public int getOrdinal() {
            return 2000;
        }
    }

    /** A port the OS just gave out, for the app to listen on, so that its registered name is its real address. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
