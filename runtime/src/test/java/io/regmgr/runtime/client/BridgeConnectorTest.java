package io.regmgr.runtime.client;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.BridgeClientSupport.Drops;
import io.regmgr.runtime.client.BridgeClientSupport.SessionEvents;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.regmgr.runtime.client.BridgeClientSupport.await;
import static io.regmgr.runtime.client.BridgeClientSupport.bridgeOptions;
import static io.regmgr.runtime.client.BridgeClientSupport.eventually;
import static io.regmgr.runtime.client.BridgeClientSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** The line bridge client against the embedded registry's bridge, over real loopback TCP. */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
class BridgeConnectorTest {
    @Parameter
    RegistryProfile profile;
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private final SessionEvents events = new SessionEvents();
    private EmbeddedRegistry registry;
    private BridgeConnector connector;

    @BeforeEach
    void startRegistry() {
        registry = NET.bridgeRegistry(profile);
        connector = NET.bridge(bridgeOptions(registry));
    }

    private RegistrySession connect() {
        return await(connector.connect(events));
    }

    @Test
    void connectsOnReadyAndDescribesItself() {
        RegistrySession session = connect();

        assertThat(session.isOpen()).as("open after READY").isTrue();
        assertThat(session.canRemove()).as("canRemove").isFalse();
        assertThat(session.initialVersion()).as("initial version").isEmpty();
        assertThat(session.registryStartTime()).as("start time").isEmpty();
        assertThat(failure(session.remove("svc"))).as("remove").isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("remove(svc)").hasMessageContaining("line bridge");
        assertThat(connector.describe()).as("describe").isEqualTo("line bridge 127.0.0.1 new/find/event ports "
                + registry.bridgeNewPort() + "/" + registry.bridgeFindPort() + "/" + registry.bridgeEventPort());
    }

    @Test
    void registersUpdatesAndUnregisters() {
        RegistrySession session = connect();
        ServiceEntry svc = ServiceEntry.of("tcp!h!1", "proto", "tcp", "descr", "it's two words");
        Drops drops = new Drops();

        Registration r = await(session.register(svc, drops));
        assertThat(registry.services()).as("visible once confirmed").containsExactly(svc);
        assertThat(r.isActive()).as("active").isTrue();

        await(r.update(Attributes.of("proto", "udp", "auth", "none")));
        ServiceEntry merged = ServiceEntry.of("tcp!h!1", "proto", "udp", "descr", "it's two words", "auth", "none");
        assertThat(r.entry()).as("entry() merged when written").isEqualTo(merged);
        eventually().untilAsserted(() -> assertThat(registry.services()).as("merged in the registry")
                .containsExactly(merged));

        await(r.unregister());
        await(r.unregister());
        assertThat(r.isActive()).as("inactive after unregister").isFalse();
        eventually().untilAsserted(() -> assertThat(registry.services()).as("gone").isEmpty());
        assertThat(failure(r.update(Attributes.of("a", "b")))).as("update after unregister")
                .isInstanceOf(RegistryConnectionException.class).hasMessageContaining("unregistered");
        assertThat(drops.causes).as("no drop for an unregister").isEmpty();
    }

    @Test
    void registersAnEntryWithoutAttributes() {
        Registration r = await(connect().register(ServiceEntry.of("bare"), RegistrationListener.NONE));

        assertThat(r.entry()).as("entry").isEqualTo(ServiceEntry.of("bare"));
        assertThat(registry.services()).as("registry").containsExactly(ServiceEntry.of("bare"));
    }

    @Test
    void duplicateNameIsRefusedAndTheFirstStays() {
        RegistrySession session = connect();
        Drops firstDrops = new Drops();
        Registration first = await(session.register(ServiceEntry.of("dup", "v", "1"), firstDrops));

        Throwable refused = failure(session.register(ServiceEntry.of("dup", "v", "2"), RegistrationListener.NONE));

        assertThat(refused).as("duplicate").isInstanceOf(RegistryErrorException.class)
                .hasMessageContaining("register dup");
        assertThat(((RegistryErrorException) refused).registryError()).as("registryError")
                .isEqualTo("refused by the line bridge (duplicate or invalid service)");
        assertThat(first.isActive()).as("first still active").isTrue();
        assertThat(registry.services()).as("first unaffected").containsExactly(ServiceEntry.of("dup", "v", "1"));
        assertThat(firstDrops.causes).as("first not dropped").isEmpty();
    }

    @Test
    void identicalDuplicateIsNeverSilent() {
        RegistrySession session = connect();
        ServiceEntry svc = ServiceEntry.of("twin", "v", "1");
        await(session.register(svc, RegistrationListener.NONE));
        Drops drops = new Drops();

        CompletableFuture<Registration> second = session.register(svc, drops).toCompletableFuture();

        // The documented race: either the stage fails, or it succeeds and the drop follows at once.
        eventually().until(second::isDone);
        if (second.isCompletedExceptionally()) {
            assertThat(failure(second)).as("refusal").isInstanceOf(RegistryErrorException.class);
        } else {
            eventually().untilAsserted(() -> assertThat(drops.causes).as("late refusal")
                    .singleElement().isInstanceOf(RegistryErrorException.class));
            assertThat(second.join().isActive()).as("second inactive").isFalse();
        }
        assertThat(registry.services()).as("the first stays").containsExactly(svc);
    }

    @Test
    void findsWithFilterWildcardAndIndex() {
        RegistrySession session = connect();
        ServiceEntry a = ServiceEntry.of("a", "proto", "tcp", "auth", "none");
        ServiceEntry b = ServiceEntry.of("b", "proto", "udp");
        ServiceEntry c = ServiceEntry.of("c", "x", "y");
        for (ServiceEntry e : List.of(a, b, c)) {
            await(session.register(e, RegistrationListener.NONE));
        }

        assertThat(await(session.find(Filter.of("proto", "tcp")))).as("proto tcp").containsExactly(a);
        assertThat(await(session.find(Filter.of("proto", "*")))).as("proto *").containsExactlyInAnyOrder(a, b);
        assertThat(await(session.find(Filter.of("proto", "*", "auth", "none")))).as("two pairs").containsExactly(a);
        assertThat(await(session.find(Filter.of("nope", "*")))).as("nothing").isEmpty();
        assertThat(await(session.index())).as("index").containsExactlyInAnyOrder(a, b, c);
        assertThat(await(session.find(Filter.all()))).as("find all").containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void anotherClientsChangesArriveWithIncreasingVersions() {
        connect();
        SessionEvents otherEvents = new SessionEvents();
        try (BridgeConnector other = NET.bridge(bridgeOptions(registry))) {
            RegistrySession otherSession = await(other.connect(otherEvents));
            Registration r = await(otherSession.register(ServiceEntry.of("o", "k", "v"), RegistrationListener.NONE));
            await(r.update(Attributes.of("k", "w")));
            await(r.unregister());

            eventually().untilAsserted(() -> assertThat(events.versions).as("versions seen")
                    .isNotEmpty().last().isEqualTo((long) registry.version()));
        }
        assertThat(registry.version()).as("three changes").isEqualTo(3);
        assertThat(events.versions).as("strictly increasing").isSorted().doesNotHaveDuplicates();
    }

    @Test
    void registryStopEndsTheSessionOnceAndDropsRegistrations() {
        RegistrySession session = connect();
        Drops drops1 = new Drops();
        Drops drops2 = new Drops();
        Registration r1 = await(session.register(ServiceEntry.of("s1", "k", "1"), drops1));
        Registration r2 = await(session.register(ServiceEntry.of("s2", "k", "2"), drops2));

        registry.stop();

        eventually().untilAsserted(() -> {
            assertThat(events.closes()).as("closed once").singleElement()
                    .isInstanceOf(RegistryConnectionException.class);
            assertThat(drops1.causes).as("r1 dropped").singleElement().isInstanceOf(RegistryConnectionException.class);
            assertThat(drops2.causes).as("r2 dropped").singleElement().isInstanceOf(RegistryConnectionException.class);
        });
        assertThat(session.isOpen()).as("session").isFalse();
        assertThat(r1.isActive() || r2.isActive()).as("registrations active").isFalse();
        assertThat(failure(session.find(Filter.all()))).as("find after the end")
                .isInstanceOf(RegistryConnectionException.class);
        await(session.close());
        assertThat(events.closes()).as("still closed once: no closed(null) after the end").hasSize(1);
    }

    @Test
    void clientCloseTellsTheListenerAndUnregisters() {
        RegistrySession session = connect();
        Drops drops = new Drops();
        await(session.register(ServiceEntry.of("s", "k", "v"), drops));

        await(session.close());
        await(session.close());

        assertThat(events.closes()).as("closed(null) once").containsExactly((Throwable) null);
        assertThat(drops.causes).as("dropped with the session").singleElement()
                .isInstanceOf(RegistryConnectionException.class);
        eventually().untilAsserted(() -> assertThat(registry.services()).as("unregistered").isEmpty());
        assertThat(failure(session.register(ServiceEntry.of("t"), RegistrationListener.NONE)))
                .as("register after close").isInstanceOf(RegistryConnectionException.class);
    }

    @Test
    void connectorCloseClosesItsSessions() {
        RegistrySession session = connect();

        connector.close();

        assertThat(session.isOpen()).as("session").isFalse();
        assertThat(events.closes()).as("closed(null)").containsExactly((Throwable) null);
        assertThat(failure(connector.connect(new SessionEvents()))).as("connect after close")
                .isInstanceOf(RegistryConnectionException.class).hasMessageContaining("closed");
    }

    @Test
    void bridgeClosingAnEstablishedRegistrationDropsIt() {
        try (EmbeddedRegistry strict = NET.registry(b -> b.bridge("tcp!127.0.0.1!0").maxLineLength(100));
             BridgeConnector c = NET.bridge(bridgeOptions(strict))) {
            RegistrySession session = await(c.connect(events));
            Drops drops = new Drops();
            Registration r = await(session.register(ServiceEntry.of("s", "k", "v"), drops));

            // Within the client's limit, over this bridge's: the bridge closes, as on any refusal.
            await(r.update(Attributes.of("big", "x".repeat(200))));

            eventually().untilAsserted(() -> assertThat(drops.causes).as("dropped").singleElement()
                    .isInstanceOfSatisfying(RegistryErrorException.class, e -> assertThat(e.registryError())
                            .as("registryError").isEqualTo(BridgeRegistration.CLOSED)));
            assertThat(r.isActive()).as("inactive").isFalse();
            assertThat(session.isOpen()).as("the session lives on").isTrue();
        }
    }

    @Test
    void probesTheFindPortWhileTheEventConnectionIsSilent() {
        try (BridgeConnector probing = NET.bridge(bridgeOptions(registry)
                .probe(Duration.ofMillis(20), Duration.ofSeconds(2)))) {
            RegistrySession session = await(probing.connect(events));
            long before = registry.counters().bridgeConnections();

            eventually().untilAsserted(() -> assertThat(registry.counters().bridgeConnections())
                    .as("probe connections").isGreaterThanOrEqualTo(before + 3));
            assertThat(session.isOpen()).as("alive").isTrue();
            assertThat(events.closes()).as("not closed").isEmpty();
        }
    }

    @Test
    void manyRegistrationsInParallel() {
        RegistrySession session = connect();
        List<CompletableFuture<Registration>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(session.register(ServiceEntry.of("p" + i, "n", Integer.toString(i)), RegistrationListener.NONE)
                    .toCompletableFuture());
        }
        all.forEach(BridgeClientSupport::await);

        assertThat(registry.services()).as("all registered").hasSize(50);
    }

    @Test
    void registrationsWaitingTogetherShareTheFindsThatConfirmThem() throws Exception {
        // Deterministic: every find connection is held until all 100 lines reached the registry, so
        // the first round (asked for whatever was waiting when it was sent) lists all 100 and
        // confirms what it asked for, and the second round asks for every other one at once and
        // confirms them all: 2 finds, however the 100 connections interleave. No liveness probe.
        try (FindGate gate = new FindGate(registry.bridgeFindPort())) {
            connector = NET.bridge(bridgeOptions(registry).bridgePorts(gate.port(), registry.bridgeEventPort())
                    .probe(Duration.ofHours(1), Duration.ofHours(1)));
            RegistrySession session = connect();
            long findsBefore = registry.counters().findReads();
            long filtersBefore = registry.counters().bridgeFindFilters();
            List<CompletableFuture<Registration>> pending = new ArrayList<>();

            for (int i = 0; i < 100; i++) {
                pending.add(session.register(ServiceEntry.of("svc" + i, "regmgr-instance", "t1", "n", Integer.toString(i)),
                        RegistrationListener.NONE).toCompletableFuture());
            }
            eventually().until(() -> registry.services().size() == 100);
            assertThat(pending).as("none confirmed while the finds are held").noneMatch(CompletableFuture::isDone);
            gate.open();
            pending.forEach(BridgeClientSupport::await);

            // one find per round for every registration waiting (the old design: one each)
            // (counted as filters the bridge received: the gate's connections include those opened in advance)
            assertThat(registry.counters().bridgeFindFilters() - filtersBefore)
                    .as("find connections that confirmed 100 registrations").isBetween(1L, 2L);
            assertThat(registry.counters().findReads() - findsBefore).as("finds the registry answered").isBetween(1L, 2L);
            assertThat(registry.services()).as("registered").hasSize(100);
        }
    }

    /**
     * A loopback relay to the registry's find port that holds every connection (the client's filter
     * included) until {@link #open()}: a find is answered from what the registry holds then.
     */
    private static final class FindGate implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final CountDownLatch opened = new CountDownLatch(1);
        private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

        FindGate(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
            daemon("find gate accept", () -> {
                while (!server.isClosed()) {
                    Socket client;
                    try {
                        client = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    sockets.add(client);
                    daemon("find gate relay", () -> relay(client));
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void open() {
            opened.countDown();
        }

        private void relay(Socket client) {
            try {
                opened.await();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(upstream);
                daemon("find gate up", () -> pipe(client, upstream));
                daemon("find gate down", () -> pipe(upstream, client));
            } catch (IOException | InterruptedException e) {
                closeQuietly(client);
            }
        }

        private static void pipe(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(to);
            }
        }

        private static void daemon(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            opened.countDown();
            server.close();
            List.copyOf(sockets).forEach(FindGate::closeQuietly);
        }
    }

    @Test
    void aRoundAsksForThePairsEveryWaitingEntryHas() {
        assertThat(BridgeConfirmations.shared(List.of(ServiceEntry.of("a", "tok", "t", "n", "1"),
                ServiceEntry.of("b", "n", "2", "tok", "t")))).as("the token").isEqualTo(Filter.of("tok", "t"));
        assertThat(BridgeConfirmations.shared(List.of(ServiceEntry.of("a", "n", "1"), ServiceEntry.of("b", "m", "1"))))
                .as("nothing shared: every service").isEqualTo(Filter.all());
        assertThat(BridgeConfirmations.shared(List.of(ServiceEntry.of("a", "n", "1", "k", "v"))))
                .as("one entry: its own pairs").isEqualTo(Filter.of("n", "1", "k", "v"));
    }
}
