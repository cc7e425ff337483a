package io.regmgr.runtime.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event's way to the manager over 9P: the session reports a change on the manager's own
 * context, and the manager asks for the change's reads before that call returns (no turn of the
 * context in between); a change reported from another thread still reaches the manager on its
 * context. Observed through a pass-through connector around the real 9P connector, which counts
 * the reads asked of the session and notes the context each is asked on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChangeHopTest {
    private final Network net = new Network();

    @AfterEach
    void tearDown() {
        net.close();
    }

    @Test
    void aChangeReportedOnTheManagersContextHasItsReadsAskedBeforeTheReportReturns() {
        Observed observed = watchOneChange(false);

        assertThat(observed.readsDuringReport).as("reads asked during each change report after the sync, "
                + "one monitor with one filter").isNotEmpty().allMatch(n -> n >= 1);
        assertThat(observed.readContexts).as("contexts the reads were asked on: the manager's, where the "
                + "session was opened").containsExactly(observed.sessionContext);
    }

    @Test
    void aChangeReportedFromAnotherContextStillReachesTheManagerOnItsOwn() {
        Observed observed = watchOneChange(true);

        assertThat(observed.readsDuringReport).as("change reports after the sync").isNotEmpty();
        assertThat(observed.readContexts).as("contexts the reads were asked on: the manager's only")
                .containsExactly(observed.sessionContext);
    }

    private Observed watchOneChange(boolean reportElsewhere) {
        Observed observed = new Observed(net.connector(Transport.STYX, net.options(Transport.STYX, false).build()),
                reportElsewhere ? net.vertx.getOrCreateContext() : null);
        RegistryManager m = RegistryManagers.create(observed, ManagerOptions.builder().vertx(net.vertx).build());
        try {
            Monitor monitor = m.monitor(Filter.of("watch", "w0"), new RecordingListener());
            await().atMost(Network.WAIT).until(monitor::isSynced);
            observed.counting = true;
            net.otherClient().register(ServiceEntry.of("one-change", "watch", "w0"));
            await().atMost(Network.WAIT).until(() -> monitor.view().containsKey("one-change"));
            return observed;
        } finally {
            m.close();
        }
    }

    /** Passes everything through to the real connector and its session, noting reads and contexts. */
    private static final class Observed implements RegistryConnector {
        private final RegistryConnector real;
        /** Where change reports are re-posted to, or null to pass them on the caller's thread. */
        private final Context elsewhere;
        private final AtomicInteger reads = new AtomicInteger();
        final List<Integer> readsDuringReport = new CopyOnWriteArrayList<>();
        final Set<Context> readContexts = ConcurrentHashMap.newKeySet();
        volatile Context sessionContext;
        volatile boolean counting;

        Observed(RegistryConnector real, Context elsewhere) {
            this.real = real;
            this.elsewhere = elsewhere;
        }

        @Override
        public CompletionStage<RegistrySession> connect(SessionListener listener) {
            sessionContext = Vertx.currentContext();
            return real.connect(new SessionListener() {
                @Override
                public void changed(long version) {
                    if (elsewhere == null) {
                        report(listener, version);
                    } else {
                        elsewhere.runOnContext(v -> report(listener, version));
                    }
                }

                @Override
                public void closed(Throwable cause) {
                    listener.closed(cause);
                }
            }).thenApply(CountingSession::new);
        }

        private void report(SessionListener listener, long version) {
            int before = reads.get();
            listener.changed(version);
            if (counting) {
                readsDuringReport.add(reads.get() - before);
            }
        }

        private void readAsked() {
            reads.incrementAndGet();
            if (counting) {
                readContexts.add(Vertx.currentContext());
            }
        }

        @Override
        public CompletionStage<Boolean> probe() {
            return real.probe();
        }

        @Override
        public String describe() {
            return real.describe();
        }

        @Override
        public void close() {
            real.close();
        }

        private final class CountingSession implements RegistrySession {
            private final RegistrySession s;

            CountingSession(RegistrySession s) {
                this.s = s;
            }

            @Override
            public CompletionStage<Registration> register(ServiceEntry entry, RegistrationListener listener) {
                return s.register(entry, listener);
            }

            @Override
            public CompletionStage<List<ServiceEntry>> find(Filter filter) {
                readAsked();
                return s.find(filter);
            }

            @Override
            public CompletionStage<List<ServiceEntry>> index() {
                readAsked();
                return s.index();
            }

            @Override
            public int requestsPerRead() {
                return s.requestsPerRead();
            }

            @Override
            public CompletionStage<Void> remove(String serviceName) {
                return s.remove(serviceName);
            }

            @Override
            public boolean canRemove() {
                return s.canRemove();
            }

            @Override
            public OptionalLong initialVersion() {
                return s.initialVersion();
            }

            @Override
            public Optional<Instant> registryStartTime() {
                return s.registryStartTime();
            }

            @Override
            public boolean isOpen() {
                return s.isOpen();
            }

            @Override
            public CompletionStage<Void> close() {
                return s.close();
            }
        }
    }
}
