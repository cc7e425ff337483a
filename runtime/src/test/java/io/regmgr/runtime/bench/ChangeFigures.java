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
import io.regmgr.runtime.protocol.RegistryLines;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.CostModel;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.runtime.server.RegistryProfile;
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
 * distinct filters: registry work per change against one index read (measured). Each row runs
 * {@value #ROUNDS} rounds of baseline, 9P and bridge one after the other, their samples pooled, so
 * that a load that drifts on a shared machine weighs on all three alike. Also printed: the model's
 * floor with one monitor (from its parameters), a lone 9P round trip and a 9P session setup as this harness
 * delivers them.
 * Run with {@code bash bench/run.sh change [off|inferno] [others monitors] [default|exported|direct] [pool]} (one
 * row only when given; the registry profile, default {@code default}, anywhere: {@code exported} serves
 * requests sent together as Inferno's export does, so our 9P bursts fall back to one request per
 * round trip there; {@code pool} anywhere: our bridge sessions keep up to
 * {@value io.regmgr.runtime.client.ConnectorOptions#SUGGESTED_BRIDGE_FIND_POOL} find connections opened in advance,
 * which is off by default: then each find opens its own, as the baseline's do).
 */
public final class ChangeFigures {
    /** A session listener for the other client's sessions, whose events nobody watches. */
    private static final SessionListener IGNORED = new SessionListener() {
        @Override
        public void changed(long version) {
        }

        @Override
        public void closed(Throwable cause) {
        }
    };
    private static final int SAMPLES = 11;
    /** The registry every row runs on: {@link RegistryProfile#DEFAULT} unless a profile's name is given. */
    private static RegistryProfile profile = RegistryProfile.DEFAULT;
    /** Whether our bridge sessions open find connections in advance (the word {@code pool} turns it on). */
    private static boolean pool;
    /** Rounds of (baseline, 9P, bridge) per row, alternating, their samples pooled: the load drifts less between them. */
    private static final int ROUNDS = 2;
    /** Where {@link #parsePerLine()} leaves its result, so that its work is not optimised away. */
    private static volatile int sink;
    private static final int WARM_UP = 2;
    private static final int RESTARTS = 7;

    private ChangeFigures() {
    }

    /** What one run measured: the latencies and the registry's simulated work per change. */
    private record Figure(long[] latencies, double registryMsPerChange, double linesPerChange) {
        double medianMs() {
            return BenchSupport.median(latencies) / 1e6;
        }

        /** @return both runs' samples pooled, their registry work averaged */
        Figure with(Figure other) {
            long[] all = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
            System.arraycopy(other.latencies, 0, all, latencies.length, other.latencies.length);
            return new Figure(all, (registryMsPerChange + other.registryMsPerChange) / 2,
                    (linesPerChange + other.linesPerChange) / 2);
        }
    }

    public static void main(String[] arguments) throws Exception {
        // a profile's name (default, exported, direct) may come anywhere: the registry every row runs on
        List<String> words = new ArrayList<>(List.of(arguments));
        for (RegistryProfile p : RegistryProfile.values()) {
            if (words.removeIf(w -> w.equalsIgnoreCase(p.name()))) {
                profile = p;
            }
        }
        pool = words.removeIf(w -> w.equalsIgnoreCase("pool"));
        String[] args = words.toArray(String[]::new);
        CostModel model = args.length > 0 ? CostModel.parse(args[0]) : CostModel.INFERNO;
        System.out.printf("machine: %d cores, java %s; cost model %s (%s); registry profile %s%s; bridge find"
                + " connections opened in advance: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), model,
                model.simulates() ? "a SIMULATION of a real registry" : "off", profile,
                profile == RegistryProfile.EXPORTED ? " (export's concurrent service of requests sent together)" : "",
                pool ? "up to " + ConnectorOptions.SUGGESTED_BRIDGE_FIND_POOL + " (pool)" : "none (the default)");
        // warm up the JIT on every path once, not measured
        for (String who : List.of("baseline", "9P", "bridge")) {
            measure(who, model, 0, 1, SAMPLES);
        }
        System.out.println("others  monitors | baseline ms | 9P ms (ratio) | bridge ms (ratio) | registry ms/change base/9P/bridge");
        // "change [model] [others monitors]": one row only, for a closer look at one case
        int[] othersRows = args.length > 2 ? new int[] {Integer.parseInt(args[1])} : new int[] {0, 1_000, 10_000};
        int[] monitorRows = args.length > 2 ? new int[] {Integer.parseInt(args[2])} : new int[] {1, 10, 100};
        for (int others : othersRows) {
            for (int monitors : monitorRows) {
                Figure base = measure("baseline", model, others, monitors, SAMPLES);
                Figure styx = measure("9P", model, others, monitors, SAMPLES);
                Figure bridge = measure("bridge", model, others, monitors, SAMPLES);
                for (int round = 1; round < ROUNDS; round++) {
                    base = base.with(measure("baseline", model, others, monitors, SAMPLES));
                    styx = styx.with(measure("9P", model, others, monitors, SAMPLES));
                    bridge = bridge.with(measure("bridge", model, others, monitors, SAMPLES));
                }
                System.out.printf("%6d  %8d | %11.1f | %6.1f (%.2fx) | %9.1f (%.2fx) | %.1f / %.1f / %.1f%n", others,
                        monitors, base.medianMs(), styx.medianMs(), styx.medianMs() / base.medianMs(), bridge.medianMs(),
                        bridge.medianMs() / base.medianMs(), base.registryMsPerChange(), styx.registryMsPerChange(),
                        bridge.registryMsPerChange());
            }
        }
        if (model.simulates()) { // without a model there is no floor to compute
            floors(model);
        }
        if (args.length > 2) {
            return;
        }
        for (String transport : List.of("9P", "bridge")) {
            restore(transport, model);
        }
        for (String transport : List.of("9P", "bridge")) {
            Figure wide = measure(transport, model, 1_000, 1_000, 5);
            double indexRead = indexReadWork(model, 1_000);
            System.out.printf("%-6s 1,000 monitors with distinct filters, 1,000 others: %.1f ms registry work and %.0f lines"
                    + " per change (for reference, what one index read over 9P would cost: %.1f ms, 1,000 lines);"
                    + " latency median %.1f ms%n", transport,
                    wide.registryMsPerChange(), wide.linesPerChange(), indexRead, wide.medianMs());
        }
    }

    /**
     * The model's floor with one monitor, from its parameters, and a lone 9P round trip as this
     * harness delivers it. The other client's registration (our 9P connector) sends its walk, open
     * and write together: the registry applies the write after serving 3 requests, and the client has
     * its answer one round trip and 2 requests after it asked (before: 3 round trips, the write
     * applied after 2 round trips and 1 request). Then ours over 9P is the event reply's latency and
     * one round trip (the find); the baseline's is its event line (a request of its own and its
     * latency) and one bridge find connection (its walk and open at the accept, then the filter's
     * write and two reads, then the bridge's latency); ours over the bridge the same event line and a
     * find on a connection opened in advance (the filter's write and two reads, then the bridge's
     * latency: all of it is charged after the filter, see {@link CostModel}). Printed both ways, the
     * registration pipelined (what this harness measures) and sequential (the figures before).
     */
    private static void floors(CostModel model) {
        double request = model.perRequest().toNanos() / 1e6;
        double latency = model.replyLatency().toNanos() / 1e6;
        double roundTrip = request + latency;
        double bridgeLatency = model.bridgeFindLatency().toNanos() / 1e6;
        double find = CostModel.BRIDGE_FIND_REQUESTS * request + bridgeLatency;
        double pooledFind = CostModel.BRIDGE_FIND_ANSWER_REQUESTS * request + bridgeLatency;
        double[] applied = {3 * request, 2 * roundTrip + request};
        String[] how = {"pipelined (1 round trip + 2 requests)", "sequential (3 round trips)"};
        for (int i = 0; i < applied.length; i++) {
            double ours = applied[i] + latency + roundTrip;
            double baseline = applied[i] + request + latency + find;
            double oursBridge = applied[i] + request + latency + (pool ? pooledFind : find);
            System.out.printf("the model's floor, 1 monitor, the other client's registration %s: ours over 9P %.2f ms,"
                    + " the baseline %.2f ms (%.2fx); ours over the bridge %.2f ms (%.2fx, %s)%n", how[i],
                    ours, baseline, baseline == 0 ? 0 : ours / baseline, oursBridge,
                    baseline == 0 ? 0 : oursBridge / baseline, pool ? "a find connection opened in advance"
                            : "a find connection as the baseline's");
        }
        System.out.printf("a lone 9P round trip (Tstat of the root) here: median %.2f ms of 50 (the model's %.2f ms)%n",
                loneRoundTrip(model), roundTrip);
        System.out.printf("a 9P session setup (connect, version, attach, the root's stat, event walked and opened):"
                + " median %.2f ms of 30 (the model: %.2f ms with the stat, walk and open sent together, %.2f ms with"
                + " each waiting for the previous answer)%n", sessionSetup(model), 3 * roundTrip + 2 * request,
                5 * roundTrip);
        System.out.printf("a TCP connection to the bridge's find port (what a find connection opened ahead of the change"
                + " would save): median %.2f ms of 50%n", findConnect(model));
        System.out.printf("our parsing and matching of one index line (10,000 lines, median of 20): %.2f us (the model's"
                + " formatting of a line: %.2f us)%n", parsePerLine(), model.perLine().toNanos() / 1e3);
    }

    /** @return what parsing an index of 10,000 lines and matching each against a filter costs per line, in us */
    private static double parsePerLine() {
        StringBuilder index = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            index.append(RegistryLines.formatLine(ServiceEntry.of("other" + i, "kind", "other", "n", Integer.toString(i))));
        }
        String text = index.toString();
        Filter filter = Filter.of("watch", "w1");
        long[] times = new long[20];
        int matched = 0;
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            for (ServiceEntry e : RegistryLines.parseAll(text, Integer.MAX_VALUE)) {
                matched += filter.matches(e.attributes()) ? 1 : 0;
            }
            times[i] = System.nanoTime() - t0;
        }
        sink = matched; // keeps the JIT from dropping the loop
        return BenchSupport.median(times) / 1e3 / 10_000;
    }

    /** @return the median of 50 Vert.x connections to the bridge's find port, until connected, in ms */
    private static double findConnect(CostModel model) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().profile(profile).bridge("tcp!127.0.0.1!0").costModel(model).build()
                .start()) {
            io.vertx.core.net.NetClient net = vertx.createNetClient();
            long[] times = new long[50];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                io.vertx.core.net.NetSocket s = net.connect(registry.bridgeFindPort(), "127.0.0.1")
                        .toCompletionStage().toCompletableFuture().join();
                times[i] = System.nanoTime() - t0;
                s.close().toCompletionStage().toCompletableFuture().join();
            }
            return BenchSupport.median(times) / 1e6;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** @return the median of 30 session setups by our 9P connector on the embedded registry under {@code model}, in ms */
    private static double sessionSetup(CostModel model) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().profile(profile).costModel(model).build().start();
             StyxConnector connector = new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                     .vertx(vertx).build())) {
            long[] times = new long[30];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                RegistrySession s = connector.connect(IGNORED).toCompletableFuture().join();
                times[i] = System.nanoTime() - t0;
                s.close().toCompletableFuture().join();
            }
            return BenchSupport.median(times) / 1e6;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** @return the median of 50 lone Tstat round trips on the embedded registry under {@code model}, in ms */
    private static double loneRoundTrip(CostModel model) {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().profile(profile).costModel(model).build().start();
             StyxTestClient c = StyxTestClient.connect(registry.styxPort())) {
            c.version(StyxTestClient.DEFAULT_MSIZE);
            c.attach(0, "bench");
            long[] times = new long[50];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                c.rpc(new StyxMessage.Tstat(c.nextTag(), 0));
                times[i] = System.nanoTime() - t0;
            }
            return BenchSupport.median(times) / 1e6;
        }
    }

    /** @return the simulated registry work of one index read over 9P (walk, open, reads, clunk) at {@code services} */
    private static double indexReadWork(CostModel model, int services) {
        EmbeddedRegistry.Builder b = EmbeddedRegistry.builder().profile(profile).costModel(model);
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
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().profile(profile).bridge("tcp!127.0.0.1!0").costModel(model).build().start();
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
                        .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort())
                        .bridgeFindPool(pool ? ConnectorOptions.SUGGESTED_BRIDGE_FIND_POOL : 0).vertx(vertx).build());
    }

    private static Figure measure(String who, CostModel model, int others, int monitors, int samples) throws Exception {
        EmbeddedRegistry.Builder b = EmbeddedRegistry.builder().profile(profile).bridge("tcp!127.0.0.1!0").costModel(model);
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
            RegistrySession session = other.connect(IGNORED).toCompletableFuture().join();
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
        int changes = 2 * samples;
        return new Figure(latency, (n.simulatedNanos() - nanosBefore) / 1e6 / changes,
                (n.linesFormatted() - linesBefore) / (double) changes);
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
