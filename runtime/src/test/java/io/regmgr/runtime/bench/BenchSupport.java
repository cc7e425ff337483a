package io.regmgr.runtime.bench;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistryManager;
import io.regmgr.RegistrationState;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** What the scenario harnesses share: waiting on a condition, medians, and the restored check. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** Spins (0.2 ms parks) until {@code condition} holds; fails after 30 s. */
    static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within 30 s");
            }
            LockSupport.parkNanos(200_000);
        }
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** @return the nanosecond values as milliseconds with one decimal, {@code [1.2, 3.4]} */
    static String millis(long[] values) {
        StringBuilder b = new StringBuilder("[");
        for (long v : values) {
            b.append(b.length() > 1 ? ", " : "").append(Math.round(v / 1e5) / 10.0);
        }
        return b.append(']').toString();
    }

    /** Nanoseconds from each {@code stop()} and from each {@code start()} until everything was restored. */
    record RestoreTimes(long[] fromStop, long[] fromStart) {
    }

    /**
     * Attaches {@code services} registrations and {@code monitors} monitors (all matching every
     * service), waits for the first sync, then restarts the registry {@code restarts} times, timing
     * each until every service is listed again and every monitor has resynced.
     */
    static RestoreTimes measureRestores(EmbeddedRegistry registry, RegistryManager m, int services, int monitors,
            int restarts) {
        List<ServiceRegistration> regs = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            regs.add(m.register(ServiceEntry.of("svc" + i, "kind", "app", "n", Integer.toString(i))));
        }
        List<Monitor> mons = new ArrayList<>();
        for (int i = 0; i < monitors; i++) {
            mons.add(m.monitor(Filter.of("kind", "app"), new MonitorListener() { }));
        }
        waitFor(() -> restored(registry, regs, mons, services, Instant.EPOCH));
        long[] fromStop = new long[restarts];
        long[] fromStart = new long[restarts];
        for (int run = 0; run < restarts; run++) {
            Instant before = Instant.now();
            long t0 = System.nanoTime();
            registry.stop();
            registry.start();
            long t1 = System.nanoTime();
            waitFor(() -> restored(registry, regs, mons, services, before));
            long t2 = System.nanoTime();
            fromStop[run] = t2 - t0;
            fromStart[run] = t2 - t1;
        }
        return new RestoreTimes(fromStop, fromStart);
    }

    /**
     * @return whether, after a restart at {@code after}, every registration is registered and
     *     listed by the registry and every monitor resynced since then with {@code matching} services
     */
    static boolean restored(EmbeddedRegistry registry, List<ServiceRegistration> regs, List<Monitor> monitors,
            int matching, Instant after) {
        if (!regs.stream().allMatch(s -> s.status().state() == RegistrationState.REGISTERED)
                || !monitors.stream().allMatch(mon -> mon.isSynced() && mon.view().size() == matching
                        && mon.lastSync().map(t -> t.isAfter(after)).orElse(false))) {
            return false;
        }
        Set<ServiceEntry> listed = new HashSet<>(registry.services());
        return regs.stream().allMatch(s -> listed.contains(s.entry()));
    }

    /** @return a session of {@code other} that ignores its events (the client only registers) */
    static RegistrySession quietSession(RegistryConnector other) {
        return other.connect(new SessionListener() {
            @Override
            public void changed(long version) {
            }

            @Override
            public void closed(Throwable cause) {
            }
        }).toCompletableFuture().join();
    }

    /**
     * Times {@code n} registrations by {@code session} until {@code m}'s monitor reports each one
     * added (each unregistered before the next), once the monitor is synced and {@code ready} holds.
     *
     * @return the latencies in nanoseconds after 20 warm-up runs, sorted
     */
    static long[] changeLatencies(RegistryManager m, RegistrySession session, int n, BooleanSupplier ready)
            throws InterruptedException {
        BlockingQueue<Long> added = new ArrayBlockingQueue<>(4);
        BlockingQueue<Long> removed = new ArrayBlockingQueue<>(4);
        Monitor mon = m.monitor(Filter.of("kind", "latency"), new MonitorListener() {
            @Override
            public void added(ServiceEntry service, ChangeOrigin origin) {
                added.add(System.nanoTime());
            }

            @Override
            public void removed(ServiceEntry service, ChangeOrigin origin) {
                removed.add(System.nanoTime());
            }
        });
        waitFor(() -> mon.isSynced() && ready.getAsBoolean());
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Registration r = session.register(ServiceEntry.of("lat" + i, "kind", "latency"), RegistrationListener.NONE)
                    .toCompletableFuture().join();
            latency[i] = added.poll(10, TimeUnit.SECONDS) - t0;
            r.unregister().toCompletableFuture().join();
            removed.poll(10, TimeUnit.SECONDS);
        }
        long[] warm = Arrays.copyOfRange(latency, 20, latency.length);
        Arrays.sort(warm);
        return warm;
    }
}
