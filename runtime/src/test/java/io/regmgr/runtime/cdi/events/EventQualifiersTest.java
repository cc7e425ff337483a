package io.regmgr.runtime.cdi.events;

import io.regmgr.ChangeOrigin;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.Attributes;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.ServiceAdded;
import io.regmgr.cdi.ServiceChange;
import io.regmgr.cdi.ServiceModified;
import io.regmgr.cdi.ServiceRemoved;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.Recorder;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events and their qualifiers: an observer picks one monitor's changes with {@code @Monitored} or
 * every monitor's without; each kind of change has its record and origin (initial sync, live,
 * resync after a registry restart); connection up and down; a throwing observer does not stop
 * the others; observers never run on the event loop.
 */
@EnableWeld
class EventQualifiersTest {
    EmbeddedRegistry registry = CdiTesting.startRegistry();
    RegistryManager peer;
    ServiceRegistration alpha;

    @ApplicationScoped
    @RegistryMonitor(name = "peers", filter = "kind=peer")
    @RegistryMonitor(name = "dbs", filter = "kind=db")
    static class Monitors {
    }

    /** Observes one monitor, and throws first on every addition it sees. */
    @ApplicationScoped
    static class PeersOnly {
        final List<ServiceChange> seen = new CopyOnWriteArrayList<>();

        void throwsFirst(@Observes @Priority(1) @Monitored("peers") ServiceAdded added) {
            throw new IllegalStateException("an observer that fails on " + added.name());
        }

        void peers(@Observes @Priority(2000) @Monitored("peers") ServiceChange change) {
            seen.add(change);
        }

        List<ServiceChange> seen() {
            return List.copyOf(seen);
        }
    }

    /** Observes one kind of change of the other monitor. */
    @ApplicationScoped
    static class DbAdditions {
        final List<ServiceAdded> seen = new CopyOnWriteArrayList<>();

        void added(@Observes @Monitored("dbs") ServiceAdded added) {
            seen.add(added);
        }

        List<ServiceAdded> seen() {
            return List.copyOf(seen);
        }
    }

    /** Observes asynchronously. */
    @ApplicationScoped
    static class AsyncObserver {
        final List<String> seen = new CopyOnWriteArrayList<>();

        void added(@ObservesAsync @Monitored("dbs") ServiceAdded added) {
            seen.add(added.name());
        }

        List<String> seen() {
            return List.copyOf(seen);
        }
    }

    @WeldSetup
    WeldInitiator weld = CdiTesting.initiator(CdiTesting.config(registry), Monitors.class, PeersOnly.class,
            DbAdditions.class, AsyncObserver.class, Recorder.class);

    @Inject
    Recorder all;
    @Inject
    PeersOnly peersOnly;
    @Inject
    DbAdditions dbAdditions;
    @Inject
    AsyncObserver async;

    @BeforeEach
    void peerRegistersTwoServices() {
        peer = CdiTesting.peer(registry);
        alpha = peer.register(ServiceEntry.of("tcp!alpha!1", "kind", "peer", "load", "low"));
        peer.register(ServiceEntry.of("tcp!db!5432", "kind", "db"));
    }

    @AfterEach
    void close() {
        peer.close();
        registry.close();
    }

    @Test
    void observerPicksOneMonitorOrAll() {
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
            assertThat(peersOnly.seen()).as("@Monitored(\"peers\") observer").extracting(ServiceChange::name)
                    .containsExactly("tcp!alpha!1");
            assertThat(dbAdditions.seen()).as("@Monitored(\"dbs\") ServiceAdded observer").extracting(ServiceChange::name)
                    .containsExactly("tcp!db!5432");
            assertThat(all.changes()).as("unqualified observer").extracting(ServiceChange::monitor)
                    .containsExactlyInAnyOrder("peers", "dbs");
        });
        assertThat(peersOnly.seen().get(0).monitor()).as("the record names its monitor").isEqualTo("peers");
    }

    @Test
    void everyKindOfChangeWithItsOrigin() {
        await().atMost(CdiTesting.WAIT).until(() -> all.of("peers").size() == 1);
        assertThat(all.of("peers").get(0)).as("first sync").isInstanceOfSatisfying(ServiceAdded.class,
                a -> assertThat(a.origin()).isIn(ChangeOrigin.INITIAL_SYNC, ChangeOrigin.LIVE));

        alpha.update(Attributes.of("load", "high"));
        await().atMost(CdiTesting.WAIT).until(() -> all.of("peers").size() == 2);
        assertThat(all.of("peers").get(1)).as("live update").isInstanceOfSatisfying(ServiceModified.class, m -> {
            assertThat(m.before().attributes().get("load")).hasValue("low");
            assertThat(m.after().attributes().get("load")).hasValue("high");
            assertThat(m.service()).isEqualTo(m.after());
            assertThat(m.origin()).isEqualTo(ChangeOrigin.LIVE);
        });

        peer.detach(alpha);
        await().atMost(CdiTesting.WAIT).until(() -> all.of("peers").size() == 3);
        assertThat(all.of("peers").get(2)).as("live removal").isInstanceOfSatisfying(ServiceRemoved.class,
                r -> assertThat(r.origin()).isEqualTo(ChangeOrigin.LIVE));
    }

    @Test
    void removalWhileTheRegistryWasDownComesAsResyncAndConnectionGoesDownAndUp() {
        await().atMost(CdiTesting.WAIT).until(() -> all.of("peers").size() == 1 && all.connection().size() == 1);
        assertThat(all.connection().get(0)).as("first connection").isInstanceOfSatisfying(RegistryConnected.class,
                c -> assertThat(c.status().reconnects()).isZero());

        registry.stop();
        peer.close();
        registry.start();

        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(all.of("peers"))
                .as("changes of 'peers' after the restart").hasSize(2)
                .last().isInstanceOfSatisfying(ServiceRemoved.class, r -> {
                    assertThat(r.name()).isEqualTo("tcp!alpha!1");
                    assertThat(r.origin()).isEqualTo(ChangeOrigin.RESYNC);
                }));
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(all.connection()).as("connection events")
                .hasSize(3).satisfies(events -> {
                    assertThat(events.get(1)).isInstanceOfSatisfying(RegistryDisconnected.class,
                            d -> assertThat(d.cause()).isPresent());
                    assertThat(events.get(2)).isInstanceOfSatisfying(RegistryConnected.class,
                            c -> assertThat(c.status().reconnects()).isEqualTo(1));
                }));
    }

    @Test
    void asynchronousObserversGetTheEventsToo() {
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(async.seen())
                .as("@ObservesAsync @Monitored(\"dbs\") ServiceAdded").containsExactly("tcp!db!5432"));
    }

    @Test
    void observersRunOffTheEventLoop() {
        await().atMost(CdiTesting.WAIT).until(() -> all.changes().size() == 2);
        assertThat(all.threads()).as("threads that delivered events").isNotEmpty()
                .noneMatch(name -> name.contains("eventloop"));
    }
}
