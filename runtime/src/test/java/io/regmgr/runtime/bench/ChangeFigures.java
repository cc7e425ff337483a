package io.regmgr.runtime.bench;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.CostModel;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.runtime.server.StyxTestClient;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A scenario harness (not a test): another client's registration -> a monitor's {@code added()},
 * under the SIMULATED real-registry cost model ({@link CostModel#INFERNO}) unless {@code off} is
 * given, for 0, 1,000 and 10,000 other services and 1, 10 and 100 monitors with distinct selective
 * filters ({@code watch w<i>}; registration k matches monitor k mod M). Every figure is a ratio
 * against the baseline ({@link PerlBaseline}: a new bridge find connection per monitor per change)
 * measured in the same run; also the registry's simulated work per change. Then the restore after a
 * restart (100 services, 10 monitors) from the registry accepting again, and 1,000 monitors with
 * distinct filters: registry work per change against one index read (measured). Run with
 * {@code bash bench/run.sh change [off]}.
 */
public final class ChangeFigures {
    private static final int SAMPLES = 11;
    private static final int WARM_UP = 2;
    private static final int RESTARTS = 7;

    private ChangeFigures() {
    }

    /** What one run measured: the median latency and the registry's simulated work per change. */
    private record Figure(double medianMs, double p90Ms, double registryMsPerChange, double linesPerChange) {
    }

    public static void main(String[] args) throws Exception {
        CostModel model = args.length > 0 ? CostModel.parse(args[0]) : CostModel.INFERNO;
        System.out.printf("machine: %d cores, java %s; cost model %s (%s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), model, model.simulates() ? "a SIMULATION of a real registry" : "off");
        // warm up the JIT on every path once, not measured
        for (String who : List.of("baseline", "9P", "bridge")) {
            measure(who, model, 0, 1, SAMPLES);
        }
        System.out.println("others  monitors | baseline ms | 9P ms (ratio) | bridge ms (ratio) | registry ms/change base/9P/bridge");
        for (int others : new int[] {0, 1_000, 10_000}) {
            for (int monitors : new int[] {1, 10, 100}) {
                Figure base = measure("baseline", model, others, monitors, SAMPLES);
                Figure styx = measure("9P", model, others, monitors, SAMPLES);
                Figure bridge = measure("bridge", model, others, monitors, SAMPLES);
                System.out.printf("%6d  %8d | %11.1f | %6.1f (%.2fx) | %9.1f (%.2fx) | %.1f / %.1f / %.1f%n", others,
                        monitors, base.medianMs(), styx.medianMs(), styx.medianMs() / base.medianMs(), bridge.medianMs(),
                        bridge.medianMs() / base.medianMs(), base.registryMsPerChange(), styx.registryMsPerChange(),
                        bridge.registryMsPerChange());
            }
        }
        for (String transport : List.of("9P", "bridge")) {
            restore(transport, model);
        }
        for (String transport : List.of("9P", "bridge")) {
            Figure wide = measure(transport, model, 1_000, 1_000, 5);
            double indexRead = indexReadWork(model, 1_000);
            System.out.printf("%-6s 1,000 monitors with distinct filters, 1,000 others: %.1f ms registry work and %.0f lines"
                    + " per change (one index read over 9P: %.1f ms, 1,000 lines); latency median %.1f ms%n", transport,
                    wide.registryMsPerChange(), wide.linesPerChange(), indexRead, wide.medianMs());
        }
    }

    /** @return the simulated registry work of one index read over 9P (walk, open, reads, clunk) at {@code services} */
    private static double indexReadWork(CostModel model, int services) {
        EmbeddedRegistry.Builder b = EmbeddedRegistry.builder().costModel(model);
        for (int i = 0; i < services; i++) {
            b.staticService(ServiceEntry.of("other" + i, "kind", "other", "n", Integer.toString(i)));
        }
        try (EmbeddedRegistry registry = b.build().start();
             StyxTestClient c = StyxTestClient.connect(registry.styxPort())) {
            c.version(StyxTestClient.DEFAULT_MSIZE);
            c.attach(0, "bench");
            long before = registry.counters().simulatedNanos();
            c.walk(0, 1, "index");
            c.open(1, StyxMessage.OREAD);
            c.readAll(1);
            c.clunk(1);
            return (registry.counters().simulatedNanos() - before) / 1e6;
        }
    }

    /** Restore after a restart, 100 services and 10 monitors, from the registry accepting again. */
    private static void restore(String transport, CostModel model) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").costModel(model).build().start();
             RegistryConnector connector = connector(transport, registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build())) {
            long[] fromStart = BenchSupport.measureRestores(registry, m, 100, 10, RESTARTS).fromStart();
            long[] sorted = fromStart.clone();
            Arrays.sort(sorted);
            System.out.printf("%-6s restore, 100 services and 10 monitors, from the registry accepting: median %.1f ms,"
                    + " p90 %.1f ms, runs %s ms%n", transport, BenchSupport.median(fromStart) / 1e6,
                    sorted[(int) (sorted.length * 0.9)] / 1e6, BenchSupport.millis(fromStart));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static RegistryConnector connector(String transport, EmbeddedRegistry registry, Vertx vertx) {
        return transport.equals("9P")
                ? new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).vertx(vertx).build())
                : new BridgeConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.bridgeNewPort())
                        .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort()).vertx(vertx).build());
    }

    private static Figure measure(String who, CostModel model, int others, int monitors, int samples) throws Exception {
        EmbeddedRegistry.Builder b = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").costModel(model);
        for (int i = 0; i < others; i++) {
            b.staticService(ServiceEntry.of("other" + i, "kind", "other", "n", Integer.toString(i)));
        }
        List<Filter> filters = new ArrayList<>();
        for (int i = 0; i < monitors; i++) {
            filters.add(Filter.of("watch", "w" + i));
        }
        Vertx vertx = Vertx.vertx();
        BlockingQueue<Long> added = new ArrayBlockingQueue<>(16);
        BiConsumer<Integer, ServiceEntry> onAdded = (monitor, e) -> added.add(System.nanoTime());
        try (EmbeddedRegistry registry = b.build().start();
             Watchers watchers = watch(who, registry, vertx, filters, onAdded);
             StyxConnector other = new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                     .vertx(vertx).build())) {
            RegistrySession session = other.connect(new SessionListener() {
                @Override
                public void changed(long version) {
                }

                @Override
                public void closed(Throwable cause) {
                }
            }).toCompletableFuture().join();
            watchers.awaitSynced();
            return sample(registry, session, added, monitors, samples);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static Figure sample(EmbeddedRegistry registry, RegistrySession session, BlockingQueue<Long> added,
            int monitors, int samples) throws Exception {
        long[] latency = new long[samples];
        RegistryCounters n = registry.counters();
        long nanosBefore = 0;
        long linesBefore = 0;
        for (int i = -WARM_UP; i < samples; i++) {
            if (i == 0) {
                nanosBefore = n.simulatedNanos();
                linesBefore = n.linesFormatted();
            }
            int k = i + WARM_UP;
            long t0 = System.nanoTime();
            Registration r = session.register(ServiceEntry.of("lat" + k, "watch", "w" + (k % monitors)),
                    RegistrationListener.NONE).toCompletableFuture().join();
            Long t1 = added.poll(60, TimeUnit.SECONDS);
            if (t1 == null) {
                throw new IllegalStateException("no added() within 60 s");
            }
            if (i >= 0) {
                latency[i] = t1 - t0;
            }
            r.unregister().toCompletableFuture().join();
            settle(n);
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        int changes = 2 * samples;
        return new Figure(BenchSupport.median(latency) / 1e6, sorted[(int) (samples * 0.9)] / 1e6,
                (n.simulatedNanos() - nanosBefore) / 1e6 / changes, (n.linesFormatted() - linesBefore) / (double) changes);
    }

    /** Waits until the registry has been idle (no simulated work) for 50 ms: the last change's reads are over. */
    private static void settle(RegistryCounters n) {
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < 50_000_000L) {
            long now = n.totalRequests() + n.bridgeConnections() + n.linesFormatted();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** The monitors under test, closed at the end of a run. */
    private interface Watchers extends AutoCloseable {
        /** Waits until every monitor has read its first answer. */
        void awaitSynced();

        @Override
        void close();
    }

    private static Watchers watch(String who, EmbeddedRegistry registry, Vertx vertx, List<Filter> filters,
            BiConsumer<Integer, ServiceEntry> onAdded) {
        if (who.equals("baseline")) {
            PerlBaseline base = new PerlBaseline(vertx, registry.bridgeFindPort(), filters, onAdded);
            java.util.concurrent.CompletableFuture<Void> ready = base.start(registry.bridgeEventPort());
            return new Watchers() {
                @Override
                public void awaitSynced() {
                    ready.join();
                }

                @Override
                public void close() {
                    base.close();
                }
            };
        }
        RegistryConnector connector = connector(who, registry, vertx);
        RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build());
        List<Monitor> mons = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            int index = i;
            mons.add(m.monitor(filters.get(i), new MonitorListener() {
                @Override
                public void added(ServiceEntry service, ChangeOrigin origin) {
                    onAdded.accept(index, service);
                }
            }));
        }
        return new Watchers() {
            @Override
            public void awaitSynced() {
                BenchSupport.waitFor(() -> mons.stream().allMatch(Monitor::isSynced));
            }

            @Override
            public void close() {
                m.close();
                connector.close();
            }
        };
    }
}
