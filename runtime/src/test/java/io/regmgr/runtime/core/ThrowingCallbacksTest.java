package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.spi.Registration;
import io.regmgr.spi.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * User code that throws never stops delivery (issue 13, part 2): a monitor listener throwing a
 * checked exception sneakily or an Error, status and connection listeners, a lookup's
 * continuation and a custom task's hooks; and a listener that falls behind costs at most one
 * pending delta per service, which still replay to the view.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThrowingCallbacksTest {
    private final Network net = new Network();

    @AfterEach
    void tearDown() {
        net.close();
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t; // what Kotlin, Lombok's @SneakyThrows and generated code do
    }

    /** Records like {@link RecordingListener}, and throws after recording: a checked exception, then an Error, in turn. */
    private static final class Thrower implements MonitorListener {
        final RecordingListener rec = new RecordingListener();
        volatile int calls;

        private void fail(ServiceEntry s) {
            calls++;
            sneaky(calls % 2 == 1 ? new IOException("listener fails on " + s.name()) : new AssertionError("and on " + s.name()));
        }

        @Override
        public void added(ServiceEntry service, ChangeOrigin origin) {
            rec.added(service, origin);
            fail(service);
        }

        @Override
        public void modified(ServiceEntry before, ServiceEntry after, ChangeOrigin origin) {
            rec.modified(before, after, origin);
            fail(after);
        }

        @Override
        public void removed(ServiceEntry service, ChangeOrigin origin) {
            rec.removed(service, origin);
            fail(service);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerThrowingCheckedExceptionsAndErrorsStillGetsEveryLaterDelta(Transport transport) {
        RegistryManager m = net.manager(transport);
        Thrower thrower = new Thrower();
        RecordingListener quiet = new RecordingListener();
        Monitor throwing = m.monitor(Filter.of("kind", "db"), thrower);
        Monitor other = m.monitor(Filter.of("kind", "db"), quiet);
        await().atMost(Network.WAIT).until(() -> throwing.isSynced() && other.isSynced());
        Network.OtherClient client = net.otherClient();

        List<Registration> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            held.add(client.register(ServiceEntry.of("db" + i, "kind", "db")));
        }
        // db0's removal must not be coalesced with its addition (a loaded machine may deliver both at once,
        // which is right, but then the thrower is called less often than this test counts).
        await().atMost(Network.WAIT).until(() -> thrower.rec.replay().size() == 6);
        Network.join(held.get(0).unregister());

        // The count is awaited with the rest: the thrower records a delta before it counts the call.
        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(throwing.view()).as("view").hasSize(5);
            assertThat(thrower.rec.replay()).as("the thrower's deltas replay to its view").isEqualTo(throwing.view());
            assertThat(quiet.replay()).as("the other listener's too").isEqualTo(other.view());
            assertThat(thrower.calls).as("the thrower was called after each of its failures: six additions, one removal")
                    .isGreaterThanOrEqualTo(7);
        });
    }

    @Test
    void throwingStatusConnectionLookupAndTaskCallbacksStopNothing() {
        RegistryManager m = net.manager(Transport.STYX);
        List<ConnectionStatus> connections = new CopyOnWriteArrayList<>();
        m.onConnection(s -> sneaky(new IOException("connection listener fails")));
        m.onConnection(connections::add);
        RestartProbe first = new RestartProbe() {
            @Override
            public void start(TaskContext context) {
                super.start(context);
                sneaky(new IOException("task start fails"));
            }

            @Override
            public void refresh(TaskContext context) {
                super.refresh(context);
                throw new AssertionError("task refresh fails");
            }
        };
        RestartProbe second = new RestartProbe();
        m.attach(first);
        m.attach(second);
        ServiceRegistration r = m.register(ServiceEntry.of("svc", "k", "v"));
        List<RegistrationStatus> statuses = new CopyOnWriteArrayList<>();
        r.onStatus(s -> sneaky(new IOException("status listener fails")));
        r.onStatus(statuses::add);
        CompletableFuture<String> afterLookup = new CompletableFuture<>();
        m.lookup(Filter.all()).thenAccept(found -> sneaky(new IOException("continuation fails")))
                .whenComplete((v, e) -> afterLookup.complete(String.valueOf(e)));

        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(m.status().isConnected()).as("connected: %s", m.status()).isTrue();
            assertThat(r.status().state()).as("registration").isEqualTo(RegistrationState.REGISTERED);
            assertThat(second.calls).as("the task attached after the one whose start throws").contains("start", "refresh");
        });
        assertThat(Network.join(afterLookup)).as("the failed continuation fails only its own stage").contains("continuation fails");

        // The listeners were added once the manager had started: the first connection and the first
        // REGISTERED may have come before them (listeners hear later transitions only). The drop makes
        // transitions after them; they may hear them coalesced (see onConnection, onStatus), never
        // short of the latest.
        net.registry.dropConnections();
        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(m.status().reconnects()).as("reconnects: %s", m.status()).isPositive();
            assertThat(connections).as("the second connection listener, told the latest status last").isNotEmpty()
                    .last().extracting(ConnectionStatus::state, ConnectionStatus::reconnects)
                    .containsExactly(ConnectionState.CONNECTED, m.status().reconnects());
            assertThat(r.status().state()).as("registration").isEqualTo(RegistrationState.REGISTERED);
            assertThat(statuses).as("the second status listener, told the latest status last").isNotEmpty()
                    .last().extracting(RegistrationStatus::state).isEqualTo(RegistrationState.REGISTERED);
            assertThat(first.calls).as("the throwing task keeps getting its hooks").contains("stop");
        });
    }

    /**
     * A listener blocked on a latch while 10 services change 20 times each: its backlog stays at
     * one delta per service, and once released what it hears replays to the view.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSlowListenerCostsAtMostOnePendingDeltaPerServiceAndStillReplaysToTheView(Transport transport) throws Exception {
        int services = 10;
        int rounds = 20;
        RegistryManager m = net.manager(transport);
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener rec = new RecordingListener() {
            @Override
            public void added(ServiceEntry service, ChangeOrigin origin) {
                super.added(service, origin);
                block(release);
            }
        };
        ManagedMonitor mon = (ManagedMonitor) m.monitor(Filter.of("kind", "db"), rec);
        await().atMost(Network.WAIT).until(mon::isSynced);
        Network.OtherClient client = net.otherClient();
        List<Registration> held = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            held.add(client.register(ServiceEntry.of("db" + i, "kind", "db", "n", "0")));
        }
        for (int n = 1; n <= rounds; n++) {
            for (Registration h : held) {
                Network.join(h.update(io.regmgr.Attributes.of("n", Integer.toString(n))));
            }
        }
        String last = Integer.toString(rounds);
        await().atMost(Network.WAIT).until(() -> mon.view().size() == services
                && mon.view().values().stream().allMatch(e -> e.attributes().get("n").orElse("").equals(last)));
        assertThat(rec.deltas).as("the listener is still blocked in its first call").hasSize(1);
        assertThat(mon.peakBacklog()).as("backlog: at most one delta per service").isLessThanOrEqualTo(services);

        release.countDown();

        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(rec.replay()).as("replay == view").isEqualTo(mon.view()));
        assertThat(mon.backlog()).as("backlog once caught up").isZero();
        assertThat(rec.deltas.size()).as("deltas heard: coalesced, not one per change").isLessThanOrEqualTo(1 + services);
    }

    private static void block(CountDownLatch latch) {
        try {
            if (!latch.await(Network.WAIT.toMillis() * 3, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
