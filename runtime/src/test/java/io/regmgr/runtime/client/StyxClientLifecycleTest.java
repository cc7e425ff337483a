package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.join;
import static io.regmgr.runtime.client.StyxClientRegistryTest.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** How sessions end: registry stop, dropped connections, client close, connector close, pipelining. */
class StyxClientLifecycleTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private final RecordingListener events = new RecordingListener();
    private EmbeddedRegistry registry;
    private StyxConnector connector;
    private RegistrySession session;

    @BeforeEach
    void connect() {
        registry = NET.registry();
        connector = NET.styx(ConnectorOptions.builder("127.0.0.1:" + registry.styxPort()).user("alice"));
        session = join(connector.connect(events));
    }

    @Test
    void registryStopEndsTheSessionOnceAndFailsEverythingPending() {
        assertSessionEndsOnce(EmbeddedRegistry::stop);
    }

    @Test
    void droppedConnectionsEndTheSessionOnceAndFailEverythingPending() {
        assertSessionEndsOnce(EmbeddedRegistry::dropConnections);
    }

    private void assertSessionEndsOnce(Consumer<EmbeddedRegistry> fault) {
        List<Registration> registrations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            registrations.add(join(session.register(ServiceEntry.of("svc" + i), events.registration())));
        }
        List<CompletableFuture<List<ServiceEntry>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            inFlight.add(session.index().toCompletableFuture());
        }

        fault.accept(registry);

        awaiting().until(() -> !events.closes.isEmpty());
        assertThat(events.closedOnce()).as("closed cause").isInstanceOf(RegistryConnectionException.class)
                .asString().contains("tcp!127.0.0.1!" + registry.styxPort());
        assertThat(events.drops).as("dropped").hasSize(3).allMatch(t -> t instanceof RegistryConnectionException);
        assertThat(registrations).as("registrations").noneMatch(Registration::isActive);
        assertThat(session.isOpen()).as("open").isFalse();
        awaiting().until(() -> inFlight.stream().allMatch(CompletableFuture::isDone));
        inFlight.stream().filter(CompletableFuture::isCompletedExceptionally)
                .forEach(f -> assertThat(failure(f)).as("failed read").isInstanceOf(RegistryConnectionException.class));
        join(session.close());
        assertThat(events.closes).as("closed() calls after close()").hasSize(1);
        assertThat(failure(session.find(Filter.all()))).as("find after the end")
                .isInstanceOf(RegistryConnectionException.class).hasMessageContaining("session is closed");
    }

    @Test
    void closeByTheClientReportsNullAndRefusesLaterRequests() {
        Registration r = join(session.register(ServiceEntry.of("svc"), events.registration()));

        join(session.close());
        join(session.close());

        assertThat(events.closedOnce()).as("closed cause").isEqualTo("null");
        assertThat(events.drops).as("dropped").singleElement().isInstanceOf(RegistryConnectionException.class);
        assertThat(r.isActive()).as("active").isFalse();
        join(r.unregister());
        assertThat(failure(session.register(ServiceEntry.of("other"), RegistrationListener.NONE)))
                .as("register after close").isInstanceOf(RegistryConnectionException.class);
        awaiting().until(() -> registry.services().isEmpty());
    }

    @Test
    void connectorCloseClosesItsSessionsAndRefusesNewOnes() {
        RecordingListener second = new RecordingListener();
        join(connector.connect(second));

        connector.close();

        awaiting().until(() -> events.closes.size() == 1 && second.closes.size() == 1);
        assertThat(events.closedOnce()).as("first session").isEqualTo("null");
        assertThat(second.closedOnce()).as("second session").isEqualTo("null");
        assertThat(failure(connector.connect(new RecordingListener()))).as("connect after close")
                .isInstanceOf(RegistryConnectionException.class).hasMessageContaining("connector is closed");
    }

    @Test
    void aQuietRegistryAnswersTheProbeAndIsNotDeclaredDead() {
        StyxConnector probing = NET.styx(ConnectorOptions.builder("127.0.0.1:" + registry.styxPort())
                .probe(Duration.ofMillis(100), Duration.ofMillis(100)));
        RecordingListener quiet = new RecordingListener();
        RegistrySession watched = join(probing.connect(quiet));
        long stats = registry.counters().requests(StyxMessage.TSTAT);

        awaiting().until(() -> registry.counters().requests(StyxMessage.TSTAT) >= stats + 3);

        assertThat(watched.isOpen()).as("open").isTrue();
        assertThat(quiet.closes).as("closes").isEmpty();
        probing.close();
        assertThat(quiet.closedOnce()).as("closed by the connector").isEqualTo("null");
    }

    @Test
    void aThousandPipelinedRegistrationsCompleteAndLeaveNoTagOrFidBehindButTheKeptReadFids() {
        StyxClient client = client(session);
        int baseTags = client.tagsInFlight();
        int baseFids = client.fidsAllocated();
        List<CompletionStage<Registration>> pending = new ArrayList<>();

        for (int i = 0; i < 1000; i++) {
            pending.add(session.register(ServiceEntry.of("svc" + i, "n", Integer.toString(i)),
                    RegistrationListener.NONE));
        }
        List<Registration> done = new ArrayList<>();
        pending.forEach(p -> done.add(join(p)));

        assertThat(registry.services()).as("registered").hasSize(1000);
        awaiting().untilAsserted(() -> assertThat(client.fidsAllocated()).as("fids while registered, and the spare on new")
                .isEqualTo(baseFids + 1001));
        List<CompletionStage<List<ServiceEntry>>> reads = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            reads.add(session.find(Filter.of("n", Integer.toString(i % 1000))));
        }
        reads.forEach(r -> assertThat(join(r)).as("find").hasSize(1));
        done.forEach(r -> r.unregister());
        awaiting().untilAsserted(() -> {
            assertThat(client.tagsInFlight()).as("tags in flight").isEqualTo(baseTags);
            assertThat(client.fidsAllocated()).as("fids allocated: one kept open per distinct filter, the spare on new")
                    .isEqualTo(baseFids + 1001);
        });
        assertThat(registry.services()).as("left").isEmpty();
        assertThat(baseTags).as("baseline: the event read").isEqualTo(1);
        assertThat(baseFids).as("baseline: root and event").isEqualTo(2);
    }
}
