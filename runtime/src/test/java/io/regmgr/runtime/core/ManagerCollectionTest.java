package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.RegistryTask;
import io.regmgr.spi.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "If you lose all references to the returned Inferno::RegMgr object all attached tasks will be
 * stopped and detached": a running manager the application no longer references is collected and
 * closed, over a real transport against the embedded registry. The manager makes everything
 * itself here (its connector, its Vert.x instance, the connector's Vert.x instance), so its close
 * must leave no socket and no thread behind. The manager is made in a helper method, so that no
 * stack slot of the test keeps it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagerCollectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Collection needs a full GC; a loaded machine may need a few. */
    private static final Duration GC_WAIT = Duration.ofSeconds(30);
    private static final String SERVICE = "tcp!collected!80";

    private final EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start();

    @AfterEach
    void tearDown() {
        registry.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnreferencedRunningManagerIsClosedAndCollected(Transport transport) {
        long baseline = registry.counters().openConnections();
        String name = "gc-" + transport.name().toLowerCase() + "-" + System.nanoTime();

        Dropped dropped = startThenDrop(transport, name, null);

        assertThat(dropped.probe.managerSeenAtStart).as("TaskContext.manager() while the manager lived").containsExactly(true);
        awaitCollectedAndClosed(dropped, name, baseline);
        assertThat(dropped.probe.calls).as("the probe task was stopped by the close").endsWith("stop");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tasksTheApplicationStillHoldsDoNotKeepTheirManagerAlive(Transport transport) {
        long baseline = registry.counters().openConnections();
        String name = "gc-held-" + transport.name().toLowerCase() + "-" + System.nanoTime();
        Held held = new Held();

        Dropped dropped = startThenDrop(transport, name, held);

        awaitCollectedAndClosed(dropped, name, baseline);
        assertThat(held.registration.manager()).as("registration's manager once collected").isEmpty();
        assertThat(held.monitor.manager()).as("monitor's manager once collected").isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(held.registration.status().state())
                .as("the registration, detached by the close").isEqualTo(RegistrationState.DETACHED));
        assertThat(held.monitor.isSynced()).as("the monitor, detached by the close").isFalse();
        assertThat(held.monitor.view()).as("the monitor keeps its last view").containsKey(SERVICE);

        // Released by the close of the collected manager: it may be attached to another one.
        try (RegistryManager next = manager(transport, name + "-next")) {
            next.attach(held.registration);
            await().atMost(WAIT).untilAsserted(() -> assertThat(held.registration.status().state())
                    .as("registered again by the next manager").isEqualTo(RegistrationState.REGISTERED));
            assertThat(held.registration.manager()).as("attached to the next manager").containsSame(next);
            assertThat(registry.services()).as("registry, after the next manager registered").extracting(ServiceEntry::name)
                    .containsExactly(SERVICE);
        }
    }

    /** What the test keeps of a manager it dropped: nothing that refers to the manager strongly. */
    private record Dropped(WeakReference<RegistryManager> manager, Probe probe) {
    }

    /** Tasks of the dropped manager that the application keeps. */
    private static final class Held {
        ServiceRegistration registration;
        Monitor monitor;
    }

    /**
     * Starts a manager with a registration, a monitor and a probe, waits until all work, then
     * returns without it; only {@code held} (if given) keeps the registration and the monitor.
     */
    private Dropped startThenDrop(Transport transport, String name, Held held) {
        RegistryManager m = manager(transport, name);
        ServiceRegistration r = m.register(ServiceEntry.of(SERVICE, "kind", "web"));
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.of("kind", "web"), rec);
        Probe probe = new Probe();
        m.attach(probe);

        await().atMost(WAIT).untilAsserted(() -> assertThat(r.status().state()).as("registration").isEqualTo(RegistrationState.REGISTERED));
        await().atMost(WAIT).untilAsserted(() -> assertThat(rec.of(ChangeOrigin.INITIAL_SYNC))
                .as("the monitor sees the service").containsExactly("added " + SERVICE));
        await().atMost(WAIT).untilAsserted(() -> assertThat(probe.threads).as("the probe's threads").hasSize(2));
        assertThat(registry.services()).as("registry, while the manager runs").extracting(ServiceEntry::name)
                .containsExactly(SERVICE);
        assertThat(rec.deltas.get(0).thread()).as("the monitor's listener ran on a thread named after the manager")
                .startsWith(name + "-");
        assertThat(r.manager()).as("while the manager lives, its registration knows it").containsSame(m);
        if (held != null) {
            held.registration = r;
            held.monitor = mon;
        }
        return new Dropped(new WeakReference<>(m), probe);
    }

    private RegistryManager manager(Transport transport, String name) {
        ManagerOptions options = ManagerOptions.builder().name(name).build(); // its own Vert.x
        // No Vert.x given to the connector either: it makes its own, which the manager must close.
        if (transport == Transport.STYX) {
            return RegistryManagers.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).build(), options);
        }
        return RegistryManagers.bridge(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.bridgeNewPort())
                .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort()).build(), options);
    }

    private void awaitCollectedAndClosed(Dropped dropped, String name, long baselineConnections) {
        await().atMost(GC_WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            System.gc();
            assertThat(dropped.manager.get()).as("the unreferenced manager, collected").isNull();
            assertThat(registry.services()).as("registry, once the collected manager is closed").isEmpty();
            assertThat(registry.counters().openConnections()).as("open connections to the registry")
                    .isEqualTo(baselineConnections);
            assertThat(liveThreadsNamed(name)).as("threads named after the manager").isEmpty();
            assertThat(dropped.probe.threads).as("the event-loop threads of the manager's and the connector's Vert.x")
                    .noneMatch(Thread::isAlive);
        });
    }

    private static List<String> liveThreadsNamed(String managerName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(managerName + "-"))
                .toList();
    }

    /**
     * A custom task recording the manager's event-loop thread (where {@code start} runs) and the
     * connector's (where the session's answers complete), and whether its context knew the manager.
     * It must not keep the manager: it records a boolean, not the manager.
     */
    private static final class Probe extends RegistryTask {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<Boolean> managerSeenAtStart = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void start(TaskContext context) {
            calls.add("start");
            Optional<RegistryManager> manager = context.manager();
            managerSeenAtStart.add(manager.isPresent());
            threads.add(Thread.currentThread());
            context.session().find(Filter.all()).whenComplete((found, failure) -> threads.add(Thread.currentThread()));
        }

        @Override
        public void stop() {
            calls.add("stop");
        }
    }
}
