package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;

/**
 * The original Perl module's TCP tests, ported to the 9P connector: "smoke" (register, find, event)
 * and "network error" (nothing listening). Each connector here creates and closes its own Vert.x.
 */
class StyxClientPerlPortTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(ClientSuiteProfiles.SOURCE)
    void smokeRegisterFindAndEvent(RegistryProfile profile) {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().profile(profile).build().start();
                StyxConnector mine = new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                        .user("perl").build());
                StyxConnector theirs = new StyxConnector(ConnectorOptions.builder("127.0.0.1:" + registry.styxPort())
                        .user("other").build())) {
            RecordingListener events = new RecordingListener();
            RegistrySession session = join(mine.connect(events));

            join(session.register(ServiceEntry.of("tcp!localhost!1234", "proto", "tcp", "test", "smoke"),
                    RegistrationListener.NONE));
            assertThat(join(session.find(Filter.of("test", "smoke")))).as("find")
                    .containsExactly(ServiceEntry.of("tcp!localhost!1234", "proto", "tcp", "test", "smoke"));
            join(join(theirs.connect(new RecordingListener())).register(ServiceEntry.of("tcp!localhost!5678"),
                    RegistrationListener.NONE));

            awaiting().untilAsserted(() -> assertThat(events.versions).as("events").containsExactly(1L, 2L));
        }
    }

    @Test
    void networkErrorNothingListening() throws Exception {
        int port;
        try (ScriptedServer closed = new ScriptedServer(ScriptedServer.closeAtOnce())) {
            port = closed.port();
        }
        try (StyxConnector connector = new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + port)
                .connectTimeout(Duration.ofSeconds(2)).build())) {
            Throwable failure = failure(connector.connect(new RecordingListener()));

            assertThat(failure).as("failure").isInstanceOf(RegistryConnectionException.class)
                    .hasMessageContaining("tcp!127.0.0.1!" + port);
            assertThat(failure.getCause()).as("cause").isNotNull();
            assertThat(failure.getCause().getMessage()).as("cause message").contains("Connection refused");
        }
    }
}
