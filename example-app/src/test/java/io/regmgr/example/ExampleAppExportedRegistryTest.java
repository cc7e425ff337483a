package io.regmgr.example;

import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.AfterStop;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example app in Helidon, with no regmgr option but the address, against a registry that
 * behaves like a real one reached through {@code export} ({@link RegistryProfile#EXPORTED}: Tstat
 * fails above msize 65544, iounit 8192): readiness turns UP and the app is registered.
 */
@HelidonTest
class ExampleAppExportedRegistryTest {
    private static EmbeddedRegistry registry;
    private static int httpPort;

    /** Starts an exported-profile registry before the app and points the app at it, default options otherwise. */
    @AddConfigSource
    static ConfigSource config() {
        registry = EmbeddedRegistry.builder().profile(RegistryProfile.EXPORTED).build().start();
        httpPort = ExampleAppTest.freePort();
        return new ExampleAppTest.Overrides(Map.of(
                "server.port", String.valueOf(httpPort),
                "regmgr.embedded.enabled", "false",
                "regmgr.address", registry.styxAddress().toString()));
    }

    /** Closes the registry once the app has stopped (and unregistered). */
    @AfterStop
    static void stopRegistry() {
        registry.close();
    }

    @Inject
    WebTarget target;

    @Test
    void readinessTurnsUpWithTheDefaultOptions() {
        ExampleAppTest.awaitReadiness(target, 200);
        JsonObject check = ExampleAppTest.readinessCheck(target);
        assertThat(check.getString("status")).as("the regmgr check").isEqualTo("UP");
        assertThat(check.getJsonObject("data").getString("services")).isEqualTo("1/1 registered");
        assertThat(registry.services()).as("what the registry lists").extracting(s -> s.name())
                .contains("tcp!127.0.0.1!" + httpPort);
    }
}
