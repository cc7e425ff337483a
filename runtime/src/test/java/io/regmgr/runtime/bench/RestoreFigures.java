package io.regmgr.runtime.bench;

import io.regmgr.ConnectionState;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistryManager;
import io.regmgr.RegistrationState;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.CostModel;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.spi.RegistryConnector;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restore after a registry restart (issue 11, item 4): 100 services and 10 monitors, from the
 * moment the restarted registry accepts connections until every service is listed again with its
 * latest attributes and every monitor has resynced; median and p90 of {@value #RESTARTS}
 * restarts, split into phases (until the session opened, until every registration was confirmed,
 * until every monitor resynced), with the cost model's floor beside. Over 9P and the bridge, with
 * the reconnect schedule of this version ({@code probe}) and the previous one ({@code backoff}:
 * every attempt a full session setup, exponential backoff with full jitter) in the same run, with
 * the simulated real-registry cost model and without. Then a herd: 20 managers with 5 services
 * each on one registry, restarted: time until all restored, session setups against probes, and
 * the registry's busiest second of simulated work. Run with {@code bash bench/run.sh restore
 * [inferno|off|herd]} (one part only, or all).
 */
public final class RestoreFigures {
    private static final int RESTARTS = 11;
    private static final int SERVICES = 100;
    private static final int MONITORS = 10;
    private static final int HERD_MANAGERS = 20;
    private static final int HERD_SERVICES = 5;
    private static final int HERD_RESTARTS = 5;

    private RestoreFigures() {
    }

    public static void main(String[] args) {
        System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        String only = args.length > 0 ? args[0] : "all";
        for (CostModel model : List.of(CostModel.INFERNO, CostModel.NONE)) {
            if (!only.equals("all") && !only.equals(model.simulates() ? "inferno" : "off")) {
                continue;
            }
            System.out.printf("%ncost model %s (%s)%n", model, model.simulates() ? "a SIMULATION of a real registry" : "off");
            System.out.println("transport schedule | restore median / p90 ms | phases (medians): session open /"
                    + " registered / monitors resynced ms | floor ms | registry work per restore (simulated) | runs");
            for (String transport : List.of("9P", "bridge")) {
                for (boolean probing : new boolean[] {true, false}) {
                    restore(transport, probing, model);
                }
            }
        }
        if (!only.equals("all") && !only.equals("herd")) {
            return;
        }
        System.out.printf("%nherd: %d managers x %d services, 9P, cost model %s, %d restarts%n", HERD_MANAGERS,
                HERD_SERVICES, CostModel.INFERNO, HERD_RESTARTS);
        for (boolean probing : new boolean[] {true, false}) {
            herd(probing);
        }
    }

    private static ManagerOptions options(Vertx vertx, boolean probing) {
        ManagerOptions.Builder b = ManagerOptions.builder().vertx(vertx).reconnectProbes(probing);
        // the previous schedule with its defaults: full jitter within 50 ms, then doubling up to 5 s
        return (probing ? b : b.reconnectDelays(Duration.ofMillis(50), Duration.ofSeconds(5))).build();
    }

    /** One manager, {@value #SERVICES} services, {@value #MONITORS} monitors, {@value #RESTARTS} restarts. */
    private static void restore(String transport, boolean probing, CostModel model) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").costModel(model).build().start();
             RegistryConnector connector = connector(transport, registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, options(vertx, probing))) {
            AtomicLong connectedAt = new AtomicLong();
            m.onConnection(s -> {
                if (s.state() == ConnectionState.CONNECTED) {
                    connectedAt.set(System.nanoTime());
                }
            });
            List<ServiceRegistration> regs = register(m, "svc", SERVICES);
            List<Monitor> mons = new ArrayList<>();
            for (int i = 0; i < MONITORS; i++) {
                mons.add(m.monitor(Filter.of("kind", "app"), new MonitorListener() { }));
            }
            BenchSupport.waitFor(() -> BenchSupport.restored(registry, regs, mons, SERVICES, Instant.EPOCH));
            long[][] phases = new long[4][RESTARTS];
            RegistryCounters c = registry.counters();
            long simulated0 = c.simulatedNanos();
            long requests0 = c.simulatedRequests();
            for (int run = 0; run < RESTARTS; run++) {
                Instant before = Instant.now();
                registry.stop();
                registry.start();
                long t1 = System.nanoTime();
                BenchSupport.waitFor(() -> regs.stream().allMatch(r -> r.status().state() == RegistrationState.REGISTERED)
                        && connectedAt.get() - t1 > 0);
                long registered = System.nanoTime();
                BenchSupport.waitFor(() -> BenchSupport.restored(registry, regs, mons, SERVICES, before));
                long done = System.nanoTime();
                phases[0][run] = done - t1;
                phases[1][run] = connectedAt.get() - t1;
                phases[2][run] = registered - t1;
                phases[3][run] = done - t1;
            }
            long[] sorted = phases[0].clone();
            Arrays.sort(sorted);
            System.out.printf("%-6s %-8s | %6.1f / %6.1f | %6.1f / %6.1f / %6.1f | %5.1f | %5.1f ms, %4.0f requests | %s%n",
                    transport,
                    probing ? "probe" : "backoff", BenchSupport.median(phases[0]) / 1e6,
                    sorted[(int) (sorted.length * 0.9)] / 1e6, BenchSupport.median(phases[1]) / 1e6,
                    BenchSupport.median(phases[2]) / 1e6, BenchSupport.median(phases[3]) / 1e6,
                    floorMillis(transport, model, SERVICES), (c.simulatedNanos() - simulated0) / 1e6 / RESTARTS,
                    (c.simulatedRequests() - requests0) / (double) RESTARTS, BenchSupport.millis(phases[0]));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /**
     * @return the registry time the model charges for the restore's registrations alone: over 9P
     *     3 requests each (walk, open, write), over the bridge a {@code new} connection (2) and its line (1)
     */
    static double floorMillis(String transport, CostModel model, int services) {
        int perService = transport.equals("9P") ? 3 : CostModel.BRIDGE_OPEN_REQUESTS + 1;
        return model.nanos((long) perService * services, 0) / 1e6;
    }

    /** {@value #HERD_MANAGERS} managers with {@value #HERD_SERVICES} services each on one registry. */
    private static void herd(boolean probing) {
        Vertx vertx = Vertx.vertx();
        List<RegistryManager> managers = new ArrayList<>();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().costModel(CostModel.INFERNO).build().start()) {
            List<ServiceRegistration> regs = new ArrayList<>();
            for (int i = 0; i < HERD_MANAGERS; i++) {
                RegistryManager m = RegistryManagers.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                        .vertx(vertx).build(), options(vertx, probing));
                managers.add(m);
                regs.addAll(register(m, "m" + i + "-", HERD_SERVICES));
            }
            BenchSupport.waitFor(() -> BenchSupport.restored(registry, regs, List.of(), 0, Instant.EPOCH));
            RegistryCounters c = registry.counters();
            long[] times = new long[HERD_RESTARTS];
            double busiest = 0;
            long connections0 = c.connections();
            long setups0 = c.requests(StyxMessage.TVERSION);
            for (int run = 0; run < HERD_RESTARTS; run++) {
                registry.stop();
                registry.start();
                long t1 = System.nanoTime();
                BusyWindow busy = new BusyWindow(c);
                BenchSupport.waitFor(() -> {
                    busy.sample();
                    return BenchSupport.restored(registry, regs, List.of(), 0, Instant.EPOCH);
                });
                times[run] = System.nanoTime() - t1;
                busy.sample();
                busiest = Math.max(busiest, busy.busiestMillis());
            }
            long connections = c.connections() - connections0;
            long setups = c.requests(StyxMessage.TVERSION) - setups0;
            System.out.printf("%-8s | all %d restored: median %.1f ms, runs %s ms | per restart %.1f connections,"
                    + " %.1f session setups (Tversion), %.1f probes | busiest second: %.1f ms of simulated registry work%n",
                    probing ? "probe" : "backoff", HERD_MANAGERS * HERD_SERVICES, BenchSupport.median(times) / 1e6,
                    BenchSupport.millis(times), connections / (double) HERD_RESTARTS, setups / (double) HERD_RESTARTS,
                    (connections - setups) / (double) HERD_RESTARTS, busiest);
        } finally {
            managers.forEach(RegistryManager::close);
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static List<ServiceRegistration> register(RegistryManager m, String prefix, int services) {
        List<ServiceRegistration> regs = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            regs.add(m.register(ServiceEntry.of(prefix + i, "kind", "app", "n", Integer.toString(i))));
        }
        return regs;
    }

    private static RegistryConnector connector(String transport, EmbeddedRegistry registry, Vertx vertx) {
        return transport.equals("9P")
                ? new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).vertx(vertx).build())
                : new BridgeConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.bridgeNewPort())
                        .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort()).vertx(vertx).build());
    }

    /** The most simulated registry work in any one second, from samples of the counters. */
    private static final class BusyWindow {
        private final RegistryCounters counters;
        private final List<long[]> samples = new ArrayList<>();

        BusyWindow(RegistryCounters counters) {
            this.counters = counters;
            sample();
        }

        void sample() {
            samples.add(new long[] {System.nanoTime(), counters.simulatedNanos()});
        }

        double busiestMillis() {
            long most = 0;
            int from = 0;
            for (long[] s : samples) {
                while (s[0] - samples.get(from)[0] > 1_000_000_000L) {
                    from++;
                }
                most = Math.max(most, s[1] - samples.get(from)[1]);
            }
            return most / 1e6;
        }
    }
}
