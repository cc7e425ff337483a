package io.regmgr.runtime.core;

import static io.regmgr.runtime.auth.Vectors.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.regmgr.ConnectionState;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryAuthenticationException;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.server.EmbeddedRegistry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The manager over a registry that requires Inferno authentication: services registered through
 * the records; after the registry cuts every connection the manager authenticates again and
 * restores them; a refused key keeps it retrying with backoff, with the refusal as its status cause.
 */
class AuthenticatedManagerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final EmbeddedRegistry registry = EmbeddedRegistry.builder()
            .authentication(key("server.rsa"), List.of("rc4_256", "sha1")).build().start();
    private RegistryManager manager;


    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
        registry.close();
    }

    private RegistryManager manager(String keyName) {
        manager = RegistryManagers.styx(ConnectorOptions.builder(registry.styxAddress().toString())
                .authentication(key(keyName), "rc4_256 sha1").build(),
                ManagerOptions.builder().reconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200)).build());
        return manager;
    }

    @Test
    void reconnectsAuthenticateAgainAndRestoreServices() {
        ServiceRegistration r = manager("alice.rsa").register(ServiceEntry.of("tcp!me!1", "kind", "app"));
        await().atMost(WAIT).until(() -> r.status().state() == RegistrationState.REGISTERED);
        long connections = registry.counters().connections();

        registry.dropConnections();

        await().atMost(WAIT).until(() -> registry.counters().connections() > connections
                && r.status().state() == RegistrationState.REGISTERED && registry.services().size() == 1);
        assertThat(manager.status().state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aRefusedKeyKeepsRetryingWithTheReasonAsCause() {
        manager("alice-expired.rsa").register(ServiceEntry.of("tcp!me!1"));
        await().atMost(WAIT).until(() -> manager.status().attempt() >= 3);
        assertThat(manager.status().cause()).isInstanceOf(RegistryAuthenticationException.class);
        assertThat(((RegistryAuthenticationException) manager.status().cause()).reason())
                .isEqualTo("remote: certificate expired");
        assertThat(registry.services()).isEmpty();
    }
}
