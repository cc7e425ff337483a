package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.ChangeOrigin;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The manager's contract against an in-memory registry ({@link FakeRegistry}): no transport, so
 * faults are exact and the tests fast. The same scenarios run over the real transports and the
 * embedded registry in the network tests.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManagerCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeRegistry registry = new FakeRegistry();
    private final List<RegistryManager> managers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        managers.forEach(RegistryManager::close);
        registry.close();
    }

    private RegistryManager manager() {
        return manager(ManagerOptions.builder());
    }

    private RegistryManager manager(ManagerOptions.Builder options) {
        RegistryManager m = RegistryManagers.create(registry.connector(), options.build());
        managers.add(m);
        return m;
    }

    private static void awaitState(ServiceRegistration r, RegistrationState state) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(r.status().state()).as("state of %s", r.name()).isEqualTo(state));
    }

    @Test
    void registersAndRegistersAgainAfterTheConnectionIsCut() {
        RegistryManager m = manager();
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "proto", "tcp"));
        awaitState(r, RegistrationState.REGISTERED);
        assertThat(r.entry().attributes().get(ManagerOptions.DEFAULT_INSTANCE_TOKEN_ATTRIBUTE)).as("token").isPresent();
        assertThat(registry.entries()).as("registry").containsExactly(r.entry());

        registry.cut(true);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
            assertThat(r.status().state()).as("state").isEqualTo(RegistrationState.REGISTERED);
            assertThat(registry.entries()).as("registry").containsExactly(r.entry());
        });
    }

    @Test
    void anUpdateIsMergedAtOnceAndCarriedIntoTheReRegistration() {
        RegistryManager m = manager();
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "a", "1"));
        awaitState(r, RegistrationState.REGISTERED);
        r.update(Attributes.of("a", "2")).toCompletableFuture().join();
        assertThat(registry.entries().get(0).attributes().get("a")).as("live update").contains("2");

        registry.reachable(false);
        registry.cut(true);
        await().atMost(WAIT).until(() -> m.status().state() == ConnectionState.DISCONNECTED);
        CompletableFuture<Void> whileDown = r.update(Attributes.of("b", "3")).toCompletableFuture();
        assertThat(r.entry().attributes().get("b")).as("merged at once").contains("3");
        assertThat(whileDown).as("pending while down").isNotDone();

        registry.reachable(true);
        whileDown.join();
        assertThat(registry.entries()).as("re-registered with the merge").containsExactly(r.entry());
        assertThat(r.entry().attributes().asMap()).as("attributes").containsEntry("a", "2").containsEntry("b", "3");
    }

    @Test
    void aMonitorReportsTheInitialSyncLiveChangesAndWhatChangedWhileAway() {
        registry.put(ServiceEntry.of("s1", "kind", "db", "v", "1"));
        registry.put(ServiceEntry.of("s2", "kind", "web"));
        RegistryManager m = manager();
        RestartProbe probe = new RestartProbe();
        m.attach(probe);
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.of("kind", "db"), rec);
        await().atMost(WAIT).until(() -> rec.deltas.size() == 1);
        assertThat(rec.of(ChangeOrigin.INITIAL_SYNC)).as("initial").containsExactly("added s1");

        registry.put(ServiceEntry.of("s3", "kind", "db"));
        await().atMost(WAIT).until(() -> rec.deltas.size() == 2);
        assertThat(rec.of(ChangeOrigin.LIVE)).as("live").containsExactly("added s3");

        registry.reachable(false);
        registry.restart();
        await().atMost(WAIT).until(() -> !mon.isSynced());
        registry.put(ServiceEntry.of("s1", "kind", "db", "v", "2"));
        registry.put(ServiceEntry.of("s4", "kind", "db"));
        registry.reachable(true);

        await().atMost(WAIT).until(() -> rec.deltas.size() == 5);
        assertThat(rec.of(ChangeOrigin.RESYNC)).as("resync").containsExactlyInAnyOrder("modified s1", "added s4", "removed s3");
        assertThat(rec.replay()).as("deltas replayed give the view").isEqualTo(mon.view());
        assertThat(mon.isSynced()).as("synced").isTrue();
        assertThat(probe.restartSeen()).as("restart detected").isTrue();
        assertThat(rec.deltas).as("off the event loop").allSatisfy(d -> assertThat(d.thread()).contains("-listener-"));
    }

    @Test
    void aRestartIsFoundByTheFirstEventWhenTheTransportCannotTellAtTheStart() {
        registry.reportVersion(false);
        registry.put(ServiceEntry.of("a", "k", "v"));
        registry.put(ServiceEntry.of("b", "k", "v"));
        RegistryManager m = manager();
        RestartProbe probe = new RestartProbe();
        m.attach(probe);
        await().atMost(WAIT).until(() -> probe.starts.size() == 1);
        registry.put(ServiceEntry.of("c", "k", "v"));
        await().atMost(WAIT).until(() -> probe.refreshes.size() == 1);
        registry.restart();
        await().atMost(WAIT).until(() -> m.status().reconnects() == 1 && probe.starts.size() == 2);
        assertThat(probe.restartSeen()).as("unknown before an event").isFalse();
        registry.put(ServiceEntry.of("d", "k", "v"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(probe.restartSeen()).as("found by the event").isTrue());
    }

    @Test
    void oneIndexReadPerChangeWhateverTheNumberOfMonitors() {
        RegistryManager m = manager();
        List<Monitor> monitors = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RecordingListener rec = new RecordingListener();
            listeners.add(rec);
            monitors.add(m.monitor(Filter.all(), rec));
        }
        await().atMost(WAIT).until(() -> monitors.stream().allMatch(Monitor::isSynced));
        int before = registry.indexReads.get();

        registry.put(ServiceEntry.of("fresh", "k", "v"));

        await().atMost(WAIT).until(() -> listeners.stream().allMatch(l -> l.deltas.size() == 1));
        assertThat(registry.indexReads.get() - before).as("index reads for one change, 100 monitors").isEqualTo(1);
    }

    @Test
    void changesDuringAReadCostOneMoreReadNotOneEach() {
        RegistryManager m = manager();
        RecordingListener rec = new RecordingListener();
        List<Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            monitors.add(m.monitor(Filter.all(), i == 0 ? rec : new RecordingListener()));
        }
        await().atMost(WAIT).until(() -> monitors.stream().allMatch(Monitor::isSynced));
        int before = registry.indexReads.get();
        registry.deferIndexReads(true);

        registry.put(ServiceEntry.of("first", "k", "v"));
        await().atMost(WAIT).until(() -> registry.indexReads.get() == before + 1);
        for (int i = 0; i < 20; i++) {
            registry.put(ServiceEntry.of("burst" + i, "k", "v"));
        }
        registry.deferIndexReads(false);
        registry.releaseIndexReads();

        await().atMost(WAIT).until(() -> rec.replay().size() == 21);
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> registry.indexReads.get() == before + 2);
        assertThat(registry.indexReads.get() - before).as("reads for 21 changes, 20 of them during the first read")
                .isEqualTo(2);
    }

    @Test
    void aStaleEntryCarryingOurTokenIsRemovedAtOnce() {
        RegistryManager m = manager();
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        awaitState(r, RegistrationState.REGISTERED);
        List<RegistrationState> states = new CopyOnWriteArrayList<>();
        r.onStatus(s -> states.add(s.state()));

        registry.cut(false); // the registry has not noticed: the entry stays

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(m.status().reconnects()).as("reconnects").isEqualTo(1);
            assertThat(states).as("states").endsWith(RegistrationState.REGISTERED);
        });
        assertThat(states).as("never retried").doesNotContain(RegistrationState.RETRYING);
        assertThat(registry.entries()).as("registry").containsExactly(r.entry());
    }

    @Test
    void withoutATokenADuplicateIsRetriedUntilTheRegistryNotices() {
        RegistryManager m = manager(ManagerOptions.builder().instanceTokenAttribute(null));
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        awaitState(r, RegistrationState.REGISTERED);
        assertThat(r.entry().attributes().size()).as("no token").isEqualTo(1);

        registry.cut(false);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(r.status().state()).as("state").isEqualTo(RegistrationState.RETRYING);
            assertThat(r.status().error()).as("error").isInstanceOfSatisfying(RegistryErrorException.class,
                    e -> assertThat(e.isDuplicateName()).as("duplicate").isTrue());
        });
        registry.reap();
        awaitState(r, RegistrationState.REGISTERED);
        assertThat(r.status().attempts()).as("attempts reset").isZero();
    }

    @Test
    void aLookupWaitsForTheRegistryAndIsAnsweredOffTheEventLoop() {
        registry.put(ServiceEntry.of("a", "k", "1"));
        registry.put(ServiceEntry.of("b", "k", "2"));
        registry.reachable(false);
        RegistryManager m = manager();
        CompletableFuture<String> thread = new CompletableFuture<>();
        CompletableFuture<List<ServiceEntry>> answer = m.lookup(Filter.of("k", "2")).toCompletableFuture()
                .whenComplete((l, e) -> thread.complete(Thread.currentThread().getName()));
        await().atMost(WAIT).until(() -> m.status().attempt() >= 2);
        assertThat(answer).as("waiting").isNotDone();

        registry.reachable(true);

        assertThat(answer.join()).as("answer").containsExactly(ServiceEntry.of("b", "k", "2"));
        assertThat(thread.join()).as("completed on").contains("-listener-");
    }

    @Test
    void aListenerThatThrowsOrBlocksDelaysNoOtherMonitor() {
        RegistryManager m = manager();
        CountDownLatch release = new CountDownLatch(1);
        m.monitor(Filter.all(), new MonitorListener() {
            @Override
            public void added(ServiceEntry service, ChangeOrigin origin) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }
        });
        RecordingListener blockedRec = new RecordingListener();
        m.monitor(Filter.all(), new MonitorListener() {
            @Override
            public void added(ServiceEntry service, ChangeOrigin origin) {
                blockedRec.added(service, origin);
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        RecordingListener rec = new RecordingListener();
        m.monitor(Filter.all(), rec);

        for (int i = 0; i < 5; i++) {
            registry.put(ServiceEntry.of("s" + i, "k", "v"));
        }

        await().atMost(WAIT).until(() -> rec.replay().size() == 5);
        assertThat(blockedRec.deltas).as("the blocked listener is stuck on its first delta").hasSize(1);
        release.countDown();
        await().atMost(WAIT).until(() -> blockedRec.replay().size() == 5);
    }

    @Test
    void attachAndDetachFollowTheOriginal() {
        RegistryManager m = manager();
        RegistryManager other = manager();
        RestartProbe task = new RestartProbe();
        m.attach(task);
        assertThatThrownBy(() -> m.attach(task)).as("twice").isInstanceOf(IllegalStateException.class).hasMessage("already attached");
        assertThatThrownBy(() -> other.attach(task)).as("elsewhere").isInstanceOf(IllegalStateException.class).hasMessage("already attached");
        assertThatThrownBy(() -> other.detach(task)).as("not here").isInstanceOf(IllegalStateException.class)
                .hasMessage("not attached to this manager");
        await().atMost(WAIT).until(() -> task.calls.contains("start"));

        m.detach(task);
        await().atMost(WAIT).until(() -> task.calls.contains("stop"));
        assertThat(task.manager()).as("released").isEmpty();
        other.attach(task);
        await().atMost(WAIT).until(() -> task.calls.stream().filter("start"::equals).count() == 2);
        assertThat(task.manager()).as("attached elsewhere").contains(other);
    }

    @Test
    void aDetachedRegistrationIsUnregisteredAndMayBeAttachedAgain() {
        RegistryManager m = manager();
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        awaitState(r, RegistrationState.REGISTERED);
        m.detach(r);
        awaitState(r, RegistrationState.DETACHED);
        await().atMost(WAIT).until(() -> registry.entries().isEmpty());
        assertThatThrownBy(() -> r.update(Attributes.of("k", "w")).toCompletableFuture().join())
                .as("update while detached").hasCauseInstanceOf(IllegalStateException.class);

        m.attach(r);
        awaitState(r, RegistrationState.REGISTERED);
        assertThat(registry.entries()).as("registered again, with the merge").containsExactly(r.entry());
        assertThat(r.entry().attributes().get("k")).as("merge kept").contains("w");
    }

    @Test
    void closeDetachesEverythingAndLeavesNoThreadsBehind() {
        String name = "close-test-" + System.nanoTime();
        RegistryManager m = manager(ManagerOptions.builder().name(name));
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.all(), rec);
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        m.onConnection(statuses::add);
        awaitState(r, RegistrationState.REGISTERED);
        await().atMost(WAIT).until(() -> rec.deltas.size() == 1);
        registry.reachable(false);
        registry.cut(true);
        CompletableFuture<List<ServiceEntry>> pendingLookup = m.lookup(Filter.all()).toCompletableFuture();

        m.close();

        assertThat(m.status().state()).as("state").isEqualTo(ConnectionState.CLOSED);
        assertThat(r.status().state()).as("registration").isEqualTo(RegistrationState.DETACHED);
        assertThat(r.manager()).as("released").isEmpty();
        assertThat(mon.manager()).as("released").isEmpty();
        assertThatThrownBy(pendingLookup::join).as("lookup").hasCauseInstanceOf(RegistryConnectionException.class);
        assertThatThrownBy(() -> m.attach(new RestartProbe())).as("attach after close")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> m.register(ServiceEntry.of("x"))).as("register after close")
                .isInstanceOf(IllegalStateException.class);
        m.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(statuses).as("told").last()
                .extracting(ConnectionStatus::state).isEqualTo(ConnectionState.CLOSED));
        await().atMost(WAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .as("threads of the manager").noneMatch(t -> t.getName().startsWith(name)));
    }

    @Test
    void aClosedManagerNobodyReferencesIsCollected() {
        RegistryManager m = RegistryManagers.create(registry.connector(), ManagerOptions.builder().build());
        m.register(ServiceEntry.of("svc", "k", "v"));
        m.monitor(Filter.all(), new RecordingListener());
        await().atMost(WAIT).until(() -> registry.entries().size() == 1);
        m.close();
        WeakReference<RegistryManager> ref = new WeakReference<>(m);
        m = null;
        await().atMost(WAIT).until(() -> {
            System.gc();
            return ref.get() == null;
        });
    }

    @Test
    void backoffHasFullJitterUnderAnExponentialCap() {
        Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));
        assertThat(b.cap(1)).as("first retry").isEqualTo(50);
        assertThat(b.cap(2)).as("second").isEqualTo(100);
        assertThat(b.cap(8)).as("eighth").isEqualTo(5000);
        assertThat(b.cap(Integer.MAX_VALUE)).as("no overflow").isEqualTo(5000);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.delay(1).toMillis()).as("first delay").isBetween(0L, 50L);
        }
    }
}
