package io.regmgr.runtime.client;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.BridgeClientSupport.SessionEvents;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

import static io.regmgr.runtime.client.BridgeClientSupport.await;
import static io.regmgr.runtime.client.BridgeClientSupport.bridgeOptions;
import static io.regmgr.runtime.client.BridgeClientSupport.eventually;
import static io.regmgr.runtime.client.BridgeClientSupport.failure;
import static io.regmgr.runtime.client.BridgeClientSupport.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original Perl module's TCP plugin tests, {@code t/tcp_smoke.t} and {@code t/tcp_network_err.t},
 * ported: the same steps and checks, against the embedded registry's bridge instead of an Inferno
 * one. The connector runs on its own Vert.x instance here, as an application's would.
 */
class BridgeConnectorPerlPortTest {
    /**
     * tcp_smoke.t: connect (READY); register {@code tcp!127.0.0.172!1234} with {@code auth nane};
     * a find for {@code auth none} finds nothing; update to {@code auth none}; an event arrives; the
     * find now finds the service with both attributes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ClientSuiteProfiles.SOURCE)
    void smoke(RegistryProfile profile) {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().profile(profile).bridge("tcp!127.0.0.1!0").build().start();
             BridgeConnector connector = new BridgeConnector(bridgeOptions(registry).build())) {
            SessionEvents events = new SessionEvents();
            RegistrySession session = await(connector.connect(events));
            Registration r = await(session.register(ServiceEntry.of("tcp!127.0.0.172!1234",
                    "auth", "nane", "type", "fake'n service"), RegistrationListener.NONE));
            eventually().untilAsserted(() -> assertThat(events.versions).as("event: registered").isNotEmpty());

            assertThat(await(session.find(Filter.of("auth", "none")))).as("nothing found").isEmpty();

            int seen = events.versions.size();
            await(r.update(Attributes.of("auth", "none")));
            eventually().untilAsserted(() -> assertThat(events.versions).as("event: updated").hasSizeGreaterThan(seen));

            assertThat(await(session.find(Filter.of("auth", "none")))).as("service found!").containsExactly(
                    ServiceEntry.of("tcp!127.0.0.172!1234", "auth", "none", "type", "fake'n service"));
        }
    }

    /**
     * tcp_network_err.t: with nothing listening, the event, find and new ports each fail with
     * "Connection refused". Find and register need a live session, so for them the event port is a
     * stand-in that says READY while the find and new ports stay closed.
     */
    @Test
    void networkError() throws Exception {
        int newPort = freePort();
        int findPort = freePort();
        int eventPort = freePort();
        try (BridgeConnector nothing = new BridgeConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + newPort)
                .bridgePorts(findPort, eventPort).build())) {
            assertRefused(nothing.connect(new SessionEvents()), eventPort, "connect");
        }
        try (ScriptedServer event = new ScriptedServer(ScriptedServer.send("READY\n".getBytes(StandardCharsets.US_ASCII)));
             BridgeConnector halfThere = new BridgeConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + newPort)
                     .bridgePorts(findPort, event.port()).build())) {
            RegistrySession session = await(halfThere.connect(new SessionEvents()));

            assertRefused(session.find(Filter.all()), findPort, "find");
            assertRefused(session.register(ServiceEntry.of("test"), RegistrationListener.NONE), newPort, "register");
            assertThat(session.isOpen()).as("session survives its requests' failures").isTrue();
        }
    }

    private static void assertRefused(CompletionStage<?> stage, int port, String what) {
        assertThat(failure(stage)).as(what).isInstanceOfSatisfying(RegistryConnectionException.class, e -> {
            assertThat(e.address()).as(what + " address").isEqualTo("tcp!127.0.0.1!" + port);
            assertThat(e.getCause()).as(what + " cause").isNotNull();
            assertThat(e.getCause().getMessage()).as(what + " cause message").contains("Connection refused");
        });
    }
}
