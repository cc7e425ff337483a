package io.regmgr.runtime.cdi;

import io.regmgr.runtime.core.FixedObservedManager;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.core.ObservedManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding to a runtime's OpenTelemetry that is not ready when the manager starts (as on Quarkus):
 * nothing fails, sessions opened meanwhile are recorded on binding, later events go straight to
 * the real observer, and a manager closed before binding is never bound.
 */
class DeferredMetricsTest {
    private static final ObservedManager MANAGER = new FixedObservedManager("m");

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ready = new AtomicBoolean();

    private DeferredMetrics deferred() {
        return new DeferredMetrics(() -> {
            if (!ready.get()) {
                throw new IllegalStateException("Synthetic bean instance for OpenTelemetry not initialized yet");
            }
            return manager -> new ManagerObserver() {
                @Override
                public void connected(boolean reconnect) {
                    events.add(reconnect ? "reconnect" : "connect");
                }

                @Override
                public void probeFailed() {
                    events.add("probe");
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        });
    }

    @Test
    void boundAtOnceWhenTheRuntimeIsReady() {
        ready.set(true);
        ManagerObserver o = deferred().open(MANAGER);
        o.connected(false);
        o.close();
        assertThat(events).as("events").containsExactly("connect", "close");
    }

    @Test
    void boundOnRetryWithTheSessionsOpenedMeanwhile() {
        DeferredMetrics d = deferred();
        ManagerObserver o = d.open(MANAGER);
        o.connected(false);
        o.probeFailed();
        o.connected(true);
        d.retry();
        assertThat(events).as("nothing before the runtime is ready").isEmpty();

        ready.set(true);
        d.retry();
        o.probeFailed();
        assertThat(events).as("sessions replayed on binding, then live").containsExactly("connect", "reconnect", "probe");
    }

    @Test
    void aManagerClosedBeforeBindingIsNeverBound() {
        DeferredMetrics d = deferred();
        ManagerObserver o = d.open(MANAGER);
        o.close();
        ready.set(true);
        d.retry();
        o.connected(false);
        assertThat(events).as("nothing recorded for a closed manager").isEmpty();
    }

    @Test
    void anApiThatCannotBeLinkedTurnsMetricsOffAndFailsNothing() {
        int[] attempts = {0};
        DeferredMetrics d = new DeferredMetrics(() -> {
            attempts[0]++;
            throw new NoClassDefFoundError("io/opentelemetry/api/OpenTelemetry");
        });
        ManagerObserver o = d.open(MANAGER);
        o.connected(false);
        d.retry();
        o.probeFailed();
        o.close();
        assertThat(attempts[0]).as("tried once, never again").isEqualTo(1);
        assertThat(events).as("nothing recorded").isEmpty();
    }
}
