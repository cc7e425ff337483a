package io.regmgr.runtime.cdi.auth;

import static io.regmgr.runtime.auth.Vectors.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.KeyFiles;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.RegMgrConfig;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A CDI application (Weld) configured with {@code regmgr.auth.key-file} against a registry that
 * requires Inferno authentication: readiness says who we are, who the registry is and the
 * algorithm; with a key the registry does not accept it says "authentication failed: <reason>",
 * and never the identities of an earlier session.
 */
class AuthenticatedHealthTest {
    final EmbeddedRegistry registry = EmbeddedRegistry.builder()
            .authentication(key("server.rsa"), List.of("rc4_256", "sha1")).build().start();
    @TempDir
    Path dir;

    @ApplicationScoped
    @RegistryService(name = "tcp!me!1", attributes = "kind=me")
    static class App {
    }


    private Map<String, String> config(String keyName, String alg) {
        Path file = dir.resolve(keyName);
        KeyFiles.write(file, key(keyName));
        return CdiTesting.config(registry, RegMgrConfig.AUTH_KEY_FILE, file.toString(), RegMgrConfig.AUTH_ALG, alg);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void readyAndSaysWhoIsWho() {
        try (WeldContainer c = CdiTesting.weld(config("alice.rsa", "rc4_256 sha1"), App.class).initialize()) {
            HealthCheck readiness = c.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            await().atMost(CdiTesting.WAIT).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);
            assertThat(readiness.call().getData()).get().satisfies(data -> assertThat(data)
                    .containsEntry("authenticated-as", "alice").containsEntry("registry-key-owner", "server")
                    .containsEntry("auth-alg", "rc4_256 sha1").containsEntry("services", "1/1 registered"));
            assertThat(registry.services()).as("registered through the records").hasSize(1);
        }
    }

    @Test
    void aRefusedKeySaysAuthenticationFailedNotConnecting() {
        try (WeldContainer c = CdiTesting.weld(config("alice-expired.rsa", "sha1"), App.class)
                .initialize()) {
            HealthCheck readiness = c.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(readiness.call().getData()).get()
                    .satisfies(data -> assertThat(data)
                            .containsEntry("connection", "authentication failed: remote: certificate expired")));
            assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(readiness.call().getData()).get().satisfies(data -> assertThat(data)
                    .as("never authenticated: only the key it tries").containsEntry("auth-key-owner", "alice")
                    .doesNotContainKeys("authenticated-as", "registry-key-owner"));
            long before = registry.counters().connections();
            await().atMost(CdiTesting.WAIT).until(() -> registry.counters().connections() > before + 1);
        }
    }

    @Test
    void afterAnAuthenticatedSessionARefusalShowsOnlyWhatIsTrueNow() {
        try (WeldContainer c = CdiTesting.weld(config("alice.rsa", "sha1"), App.class).initialize()) {
            HealthCheck readiness = c.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            await().atMost(CdiTesting.WAIT).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);
            assertThat(readiness.call().getData()).get().satisfies(data -> assertThat(data)
                    .containsEntry("authenticated-as", "alice").containsEntry("registry-key-owner", "server"));
            // the registry comes back on the same port with a key of another signer: alice's is refused
            String address = registry.styxAddress().toString();
            registry.stop();
            try (EmbeddedRegistry other = EmbeddedRegistry.builder().styx(address)
                    .authentication(key("othersigner.rsa"), List.of("sha1")).build().start()) {
                await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(readiness.call().getData()).get()
                        .satisfies(data -> assertThat((String) data.get("connection"))
                                .as("readiness data %s", data).startsWith("authentication failed: ")));
                assertThat(readiness.call().getData()).get().satisfies(data -> assertThat(data)
                        .as("the earlier session's identities are not true now")
                        .doesNotContainKeys("authenticated-as", "registry-key-owner")
                        .containsEntry("auth-key-owner", "alice").containsEntry("auth-alg", "sha1"));
                assertThat(other.counters().connections()).as("the manager tried the new registry").isPositive();
            }
        }
    }
}
