package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.ChangeOrigin;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The manager's contract over both real transports against the embedded registry, on loopback
 * ports chosen by the OS: re-registration after the registry drops every connection, an update
 * merged at once while the manager is held off and carried into its re-registration, a monitor's
 * initial sync, live changes and resync after a cut, how a restart is detected with and without
 * the transport's help, changes during a slow index read, a lookup waiting for the registry,
 * attach and detach, close, and collection of a closed manager.
 *
 * <p>Covered elsewhere, over the same real parts: one index read per change for 100 monitors and
 * listener isolation ({@link ManyTasksTest}); our stale entry removed at once over 9P and a
 * duplicate retried until the registry notices ({@link FaultProxyTest}); a registry restart with
 * changes by another client ({@link RegistryRestartTest}).
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManagerCoreTest {
    /** Reconnects within a few ms, so that a test holding the manager off does not wait out a long backoff. */
    private static final UnaryOperator<ManagerOptions.Builder> FAST_RECONNECT =
            b -> b.reconnectDelays(Duration.ofMillis(10), Duration.ofMillis(200));
    /** No liveness probe during a test: a bridge probe is a find, which would count as a read. */
    private static final UnaryOperator<ConnectorOptions.Builder> NO_PROBE =
            b -> b.probe(Duration.ofMinutes(5), Duration.ofMinutes(1));

    private final RegistryProfile profile;
    private Network net;

    /** @param profile the kind of real registry the embedded one behaves like */
    ManagerCoreTest(RegistryProfile profile) {
        this.profile = profile;
        this.net = new Network(profile);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    private RegistryManager manager(Transport transport, boolean viaProxy) {
        return net.manager(transport, viaProxy, UnaryOperator.identity(), FAST_RECONNECT.apply(ManagerOptions.builder()));
    }

    private static void awaitRegistered(ServiceRegistration r) {
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(r.status().state()).as("state of %s", r.name())
                .isEqualTo(RegistrationState.REGISTERED));
    }

    /** The proxies refuse the manager and cut what it has: the registry notices, the manager cannot come back. */
    private void holdOff(RegistryManager m) {
        net.proxies().refuse(true);
        net.proxies().cutAll();
        await().atMost(Network.WAIT).until(() -> !m.status().isConnected());
    }

    private static long reads(RegistryCounters c) {
        return c.indexReads() + c.findReads(); // the bridge reads the index with a find
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void registersAgainWithItsTokenAfterTheRegistryDropsEveryConnection(Transport transport) {
        RegistryManager m = manager(transport, false);
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "proto", "tcp"));
        awaitRegistered(r);
        assertThat(r.entry().attributes().get(ManagerOptions.DEFAULT_INSTANCE_TOKEN_ATTRIBUTE)).as("token").isPresent();
        assertThat(net.registry.services()).as("the registry holds the entry, token included").containsExactly(r.entry());
        List<RegistrationStatus> states = new CopyOnWriteArrayList<>();
        r.onStatus(states::add);

        net.registry.dropConnections();

        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
            assertThat(r.status().state()).as("state").isEqualTo(RegistrationState.REGISTERED);
            assertThat(net.registry.services()).as("registry").containsExactly(r.entry());
        });
        assertThat(states).as("the registry dropped the entry with the connection: no duplicate, no retry")
                .extracting(RegistrationStatus::state).doesNotContain(RegistrationState.RETRYING);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUpdateIsMergedAtOnceWhileHeldOffAndCarriedIntoTheReRegistration(Transport transport) {
        RegistryManager m = manager(transport, true);
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "a", "1"));
        awaitRegistered(r);
        Network.join(r.update(Attributes.of("a", "2")));
        // the bridge does not confirm updates: its stage completes once the line is written
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(net.registry.services()).as("live update")
                .containsExactly(r.entry()));

        holdOff(m);
        CompletableFuture<Void> whileDown = r.update(Attributes.of("b", "3")).toCompletableFuture();
        assertThat(r.entry().attributes().get("b")).as("merged at once").contains("3");
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(net.registry.services())
                .as("the registry noticed the cut").isEmpty());
        assertThat(whileDown).as("pending while held off").isNotDone();

        net.proxies().refuse(false);

        Network.join(whileDown);
        assertThat(net.registry.services()).as("re-registered with the merge").containsExactly(r.entry());
        assertThat(r.entry().attributes().asMap()).as("attributes").containsEntry("a", "2").containsEntry("b", "3")
                .containsKey(ManagerOptions.DEFAULT_INSTANCE_TOKEN_ATTRIBUTE);
        assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMonitorReportsTheInitialSyncLiveChangesAndWhatChangedWhileCutOff(Transport transport) {
        Network.OtherClient other = net.otherClient();
        Registration s1 = other.register(ServiceEntry.of("s1", "kind", "db", "v", "1"));
        other.register(ServiceEntry.of("s2", "kind", "web"));
        RegistryManager m = manager(transport, true);
        RestartProbe probe = new RestartProbe();
        m.attach(probe);
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.of("kind", "db"), rec);
        await().atMost(Network.WAIT).until(() -> rec.deltas.size() == 1);
        assertThat(rec.of(ChangeOrigin.INITIAL_SYNC)).as("initial").containsExactly("added s1");

        Registration s3 = other.register(ServiceEntry.of("s3", "kind", "db"));
        await().atMost(Network.WAIT).until(() -> rec.deltas.size() == 2);
        assertThat(rec.of(ChangeOrigin.LIVE)).as("live").containsExactly("added s3");

        holdOff(m);
        await().atMost(Network.WAIT).until(() -> !mon.isSynced());
        Network.join(s1.update(Attributes.of("v", "2")));
        Network.join(s3.unregister());
        other.register(ServiceEntry.of("s4", "kind", "db"));
        net.proxies().refuse(false);

        await().atMost(Network.WAIT).until(() -> rec.deltas.size() == 5 && mon.isSynced());
        assertThat(rec.of(ChangeOrigin.RESYNC)).as("resync").containsExactlyInAnyOrder("modified s1", "added s4", "removed s3");
        assertThat(rec.replay()).as("deltas replayed give the view").isEqualTo(mon.view());
        assertThat(mon.view().get("s1")).as("s1 as it is now").isEqualTo(ServiceEntry.of("s1", "kind", "db", "v", "2"));
        assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
        assertThat(probe.restartSeen()).as("a cut is not a restart").isFalse();
        assertThat(rec.deltas).as("off the event loop").allSatisfy(d -> assertThat(d.thread()).contains("-listener-"));
    }

    /**
     * The bridge tells neither the version nor the start time as a session opens: a restart is
     * found by the first event, whose version went backwards. 9P tells both: the session that
     * finds the restarted registry knows it from its start.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRestartIsToldAtTheStartWhenTheTransportCanElseByTheFirstEvent(Transport transport) {
        Network.OtherClient before = net.otherClient();
        before.register(ServiceEntry.of("a", "k", "v"));
        before.register(ServiceEntry.of("b", "k", "v"));
        RegistryManager m = manager(transport, false);
        RestartProbe probe = new RestartProbe();
        m.attach(probe);
        await().atMost(Network.WAIT).until(() -> probe.starts.size() == 1);
        before.register(ServiceEntry.of("c", "k", "v"));
        await().atMost(Network.WAIT).until(() -> probe.refreshes.size() == 1);
        assertThat(probe.restartSeen()).as("no restart yet").isFalse();

        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> !m.status().isConnected());
        net.registry.start();
        await().atMost(Network.WAIT).until(() -> m.status().reconnects() == 1 && probe.starts.size() == 2);

        boolean toldAtStart = transport == Transport.STYX;
        assertThat(probe.starts.get(1)).as("restart known at the start of the new session").isEqualTo(toldAtStart);
        net.otherClient().register(ServiceEntry.of("d", "k", "v"));
        await().atMost(Network.WAIT).until(() -> probe.refreshes.size() == 2);
        assertThat(probe.refreshes.get(1)).as("restart known at the first event").isTrue();
    }

    /** Over 9P a restart is told by the start time even when the version did not go backwards. */
    @Test
    void overStyxTheStartTimeTellsARestartTheVersionCannot() {
        RegistryManager m = manager(Transport.STYX, false);
        RestartProbe probe = new RestartProbe();
        m.attach(probe);
        await().atMost(Network.WAIT).until(() -> probe.starts.size() == 1);

        net.registry.stop();
        long stoppedAt = System.currentTimeMillis() / 1000;
        // the root's mtime counts seconds: start again in a later one
        await().atMost(Duration.ofSeconds(3)).until(() -> System.currentTimeMillis() / 1000 > stoppedAt);
        net.registry.start();

        await().atMost(Network.WAIT).until(() -> m.status().reconnects() == 1 && probe.starts.size() == 2);
        assertThat(net.registry.version()).as("the version is 0 as before the restart").isZero();
        assertThat(probe.starts).as("restart known at the start of the second session").containsExactly(false, true);
    }

    /**
     * A change opens an index read that the fault proxy makes slow (every byte delayed); twenty
     * more changes are made at once, before the manager even hears of the first, so that their
     * events reach it while its read is under way. Over the bridge each change is its own event
     * line: twenty events during the read. Over 9P the registry folds them into the one or two
     * answers of the outstanding event read. Either way: one more read, not one per event.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void changesDuringAReadCostOneMoreReadNotOneEach(Transport transport) {
        RegistryManager m = net.manager(transport, true, NO_PROBE, FAST_RECONNECT.apply(ManagerOptions.builder()));
        RestartProbe cycles = new RestartProbe();
        m.attach(cycles);
        RecordingListener rec = new RecordingListener();
        List<Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            monitors.add(m.monitor(Filter.all(), i == 0 ? rec : new RecordingListener()));
        }
        Network.OtherClient other = net.otherClient();
        await().atMost(Network.WAIT).until(() -> monitors.stream().allMatch(Monitor::isSynced));
        long before = reads(net.registry.counters());
        net.proxies().delay(Duration.ofMillis(150));

        other.register(ServiceEntry.of("first", "k", "v"));
        List<CompletableFuture<Registration>> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(other.session.register(ServiceEntry.of("burst" + i, "k", "v"),
                    RegistrationListener.NONE).toCompletableFuture());
        }
        burst.forEach(Network::join);

        await().atMost(Network.WAIT).until(() -> rec.replay().size() == 21
                && reads(net.registry.counters()) - before >= 2);
        net.proxies().delay(Duration.ZERO); // a further read, if any, now comes at once
        AtomicLong last = new AtomicLong(-1);
        await().during(Duration.ofMillis(500)).atMost(Network.WAIT)
                .until(() -> last.getAndSet(reads(net.registry.counters())) == last.get());
        assertThat(reads(net.registry.counters()) - before).as("reads for 21 changes, 20 of them during the first read")
                .isEqualTo(2);
        assertThat(cycles.refreshes).as("refresh cycles").hasSize(2);
        assertThat(rec.of(ChangeOrigin.LIVE)).as("every change reported once").hasSize(21).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLookupWaitsForTheRegistryAndIsAnsweredOffTheEventLoop(Transport transport) {
        net.close();
        net = new Network(profile, b -> b.staticService(ServiceEntry.of("a", "k", "1")).staticService(ServiceEntry.of("b", "k", "2")));
        net.registry.stop();
        RegistryManager m = manager(transport, false);
        CompletableFuture<String> thread = new CompletableFuture<>();
        CompletableFuture<List<ServiceEntry>> answer = m.lookup(Filter.of("k", "2")).toCompletableFuture()
                .whenComplete((l, e) -> thread.complete(Thread.currentThread().getName()));
        await().atMost(Network.WAIT).until(() -> m.status().attempt() >= 2);
        assertThat(answer).as("waiting").isNotDone();

        net.registry.start();

        assertThat(Network.join(answer)).as("answer").containsExactly(ServiceEntry.of("b", "k", "2"));
        assertThat(Network.join(thread)).as("completed on").contains("-listener-");
    }

    /**
     * A detach takes effect on the manager's thread after the caller's; when a session opens in
     * between (its I/O is handled before queued work), the detached task must not be started.
     * Detaching from inside another task's start makes that ordering certain.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTaskDetachedWhileTheSessionStartsIsNotStarted(Transport transport) {
        net.registry.stop();
        RegistryManager m = manager(transport, false);
        RestartProbe detachedOnTheWay = new RestartProbe();
        RestartProbe first = new RestartProbe() {
            @Override
            public void start(TaskContext context) {
                super.start(context);
                context.manager().ifPresent(manager -> manager.detach(detachedOnTheWay));
            }
        };
        m.attach(first);
        m.attach(detachedOnTheWay);
        await().atMost(Network.WAIT).until(() -> m.status().attempt() >= 1);

        net.registry.start();

        await().atMost(Network.WAIT).until(() -> first.calls.contains("start"));
        RestartProbe witness = new RestartProbe();
        m.attach(witness);
        await().atMost(Network.WAIT).until(() -> witness.calls.contains("start"));
        assertThat(detachedOnTheWay.calls).as("calls of the task detached while the session started").isEmpty();
        assertThat(detachedOnTheWay.manager()).as("its manager").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void attachAndDetachFollowTheOriginal(Transport transport) {
        RegistryManager m = manager(transport, false);
        RegistryManager other = manager(transport, false);
        RestartProbe task = new RestartProbe();
        m.attach(task);
        assertThatThrownBy(() -> m.attach(task)).as("twice").isInstanceOf(IllegalStateException.class).hasMessage("already attached");
        assertThatThrownBy(() -> other.attach(task)).as("elsewhere").isInstanceOf(IllegalStateException.class).hasMessage("already attached");
        assertThatThrownBy(() -> other.detach(task)).as("not here").isInstanceOf(IllegalStateException.class)
                .hasMessage("not attached to this manager");
        await().atMost(Network.WAIT).until(() -> task.calls.contains("start"));

        m.detach(task);
        await().atMost(Network.WAIT).until(() -> task.calls.contains("stop"));
        assertThat(task.manager()).as("released").isEmpty();
        other.attach(task);
        await().atMost(Network.WAIT).until(() -> task.calls.stream().filter("start"::equals).count() == 2);
        assertThat(task.manager()).as("attached elsewhere").contains(other);
        assertThat(task.calls).as("calls").containsExactly("start", "stop", "start");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDetachedRegistrationIsUnregisteredAndMayBeAttachedAgain(Transport transport) {
        RegistryManager m = manager(transport, false);
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        awaitRegistered(r);
        m.detach(r);
        await().atMost(Network.WAIT).until(() -> r.status().state() == RegistrationState.DETACHED);
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(net.registry.services()).as("unregistered").isEmpty());
        assertThatThrownBy(() -> r.update(Attributes.of("k", "w")).toCompletableFuture().join())
                .as("update while detached").hasCauseInstanceOf(IllegalStateException.class);

        m.attach(r);
        awaitRegistered(r);
        assertThat(net.registry.services()).as("registered again, with the merge").containsExactly(r.entry());
        assertThat(r.entry().attributes().get("k")).as("merge kept").contains("w");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closeWhileHeldOffDetachesEverythingAndLeavesNoThreadsBehind(Transport transport) {
        String name = "close-test-" + transport.name().toLowerCase();
        RegistryManager m = net.manager(transport, true, UnaryOperator.identity(),
                FAST_RECONNECT.apply(ManagerOptions.builder().name(name)));
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.all(), rec);
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        m.onConnection(statuses::add);
        awaitRegistered(r);
        await().atMost(Network.WAIT).until(() -> rec.deltas.size() == 1);
        holdOff(m);
        CompletableFuture<List<ServiceEntry>> pendingLookup = m.lookup(Filter.all()).toCompletableFuture();

        m.close();

        assertThat(m.status().state()).as("state").isEqualTo(ConnectionState.CLOSED);
        assertThat(r.status().state()).as("registration").isEqualTo(RegistrationState.DETACHED);
        assertThat(r.manager()).as("registration released").isEmpty();
        assertThat(mon.manager()).as("monitor released").isEmpty();
        assertThatThrownBy(() -> pendingLookup.get(Network.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("lookup")
                .hasCauseInstanceOf(RegistryConnectionException.class);
        assertThatThrownBy(() -> m.attach(new RestartProbe())).as("attach after close")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> m.register(ServiceEntry.of("x"))).as("register after close")
                .isInstanceOf(IllegalStateException.class);
        m.close();
        net.proxies().refuse(false);
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(statuses).as("told").last()
                .extracting(ConnectionStatus::state).isEqualTo(ConnectionState.CLOSED));
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .as("threads of the manager").noneMatch(t -> t.getName().startsWith(name)));
        await().during(Duration.ofMillis(300)).atMost(Network.WAIT).untilAsserted(() -> assertThat(net.registry.services())
                .as("nothing registered after close, though the registry is reachable again").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClosedManagerNobodyReferencesIsCollected(Transport transport) {
        RegistryConnector connector = net.connector(transport, net.options(transport, false).build());
        RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(net.vertx).build());
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        m.monitor(Filter.all(), new RecordingListener());
        awaitRegistered(r);
        m.close();
        WeakReference<RegistryManager> ref = new WeakReference<>(m);
        m = null;
        await().atMost(Network.WAIT).until(() -> {
            System.gc();
            return ref.get() == null;
        });
        assertThat(r.status().state()).as("the registration, still referenced, is detached").isEqualTo(RegistrationState.DETACHED);
    }
}
