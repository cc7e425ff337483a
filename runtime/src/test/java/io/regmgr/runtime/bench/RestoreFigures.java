package io.regmgr.runtime.bench;

import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.CostModel;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryCounters;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Restore after a registry restart (issue 11, item 4): 100 services and 10 monitors, from the
 * moment the restarted registry accepts connections until every service is listed again with its
 * latest attributes and every monitor has resynced; median and p90 of {@value #RESTARTS}
 * restarts after {@value #WARM_UP} not measured, split into phases (until the session opened, until every registration was confirmed,
 * until every monitor resynced), with the cost model's floor beside. Over 9P and the bridge, with
 * the reconnect schedule of this version ({@code probe}) and the previous one ({@code backoff}:
 * every attempt a full session setup, exponential backoff with full jitter) in the same run, with
 * the simulated real-registry cost model and without. Then a herd: 20 managers with 5 services
 * each on one registry, restarted: time until all restored, session setups against probes, and
 * the registry's busiest second of simulated work; and the same with the first manager holding
 * 1,000 services: how long the 19 small ones wait behind it. Run with {@code bash bench/run.sh restore
 * [inferno|off|herd]} (one part only, or all).
 */
public final class RestoreFigures {
    private static final int RESTARTS = 11;
    /** Restarts before the measured ones, not measured: the JIT warms up on every path. */
    private static final int WARM_UP = 3;
    private static final int SERVICES = 100;
    private static final int MONITORS = 10;
    private static final int HERD_MANAGERS = 20;
    private static final int HERD_SERVICES = 5;
    private static final int HERD_RESTARTS = 5;
    /** The services of the one big manager in the second herd. */
    private static final int HERD_BIG = 1_000;

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
                restore(transport, model);
            }
        }
        if (!only.equals("all") && !only.equals("herd")) {
            return;
        }
        for (int first : new int[] {HERD_SERVICES, HERD_BIG}) {
            System.out.printf("%nherd: %d managers, the first with %d services, the others with %d, 9P, cost model %s,"
                    + " %d restarts%n", HERD_MANAGERS, first, HERD_SERVICES, CostModel.INFERNO, HERD_RESTARTS);
            for (Schedule schedule : Schedule.values()) {
                herd(schedule, first);
            }
        }
    }

    /** The reconnect schedules compared in the same run. */
    private enum Schedule {
        /** This version's defaults: probes, spread, 64 registrations in flight over 9P. */
        PROBE("probe"),
        /** The same with 16 registrations in flight, to show what a tighter bound costs one client. */
        PROBE_16("probe, 16 in flight"),
        /** The previous schedule and its defaults: session setups with full jitter within 50 ms, doubling up to 5 s. */
        BACKOFF("backoff (previous)");

        final String label;

        Schedule(String label) {
            this.label = label;
        }

        ManagerOptions.Builder options() {
            ManagerOptions.Builder b = ManagerOptions.builder();
            if (this == BACKOFF) {
                b.reconnectProbes(false).reconnectDelays(Duration.ofMillis(50), Duration.ofSeconds(5));
            }
            return this == PROBE ? b : b.restoreInFlight(this == PROBE_16 ? 16 : 1024);
        }
    }

    /**
     * One setup per schedule ({@value #SERVICES} services, {@value #MONITORS} monitors each, its own
     * registry), restarted in turn: {@value #WARM_UP} rounds not measured, then {@value #RESTARTS}.
     */
    private static void restore(String transport, CostModel model) {
        Vertx vertx = Vertx.vertx();
        List<RestoreSetup> setups = new ArrayList<>();
        try {
            for (Schedule schedule : Schedule.values()) {
                setups.add(new RestoreSetup(transport, schedule.label, schedule.options(), model, vertx, SERVICES, MONITORS));
            }
            for (int round = 0; round < WARM_UP; round++) {
                setups.forEach(RestoreSetup::restart);
            }
            setups.forEach(RestoreSetup::startCounting);
            for (int round = 0; round < RESTARTS; round++) {
                setups.forEach(RestoreSetup::restart);
            }
            setups.forEach(s -> System.out.println(s.row()));
        } finally {
            setups.forEach(RestoreSetup::close);
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /**
     * {@value #HERD_MANAGERS} managers on one registry: the first with {@code first} services, the
     * others with {@value #HERD_SERVICES} each; {@value #HERD_RESTARTS} restarts.
     */
    private static void herd(Schedule schedule, int first) {
        Vertx vertx = Vertx.vertx();
        List<RegistryManager> managers = new ArrayList<>();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().costModel(CostModel.INFERNO).build().start()) {
            List<ServiceRegistration> all = new ArrayList<>();
            for (int i = 0; i < HERD_MANAGERS; i++) {
                RegistryManager m = RegistryManagers.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                        .vertx(vertx).build(), schedule.options().vertx(vertx).build());
                managers.add(m);
                all.addAll(register(m, "m" + i + "-", i == 0 ? first : HERD_SERVICES));
            }
            List<ServiceRegistration> small = all.subList(first, all.size());
            BenchSupport.waitFor(() -> BenchSupport.restored(registry, all, List.of(), 0, Instant.EPOCH));
            RegistryCounters c = registry.counters();
            long[][] times = new long[2][HERD_RESTARTS];
            double busiest = 0;
            long connections0 = c.connections();
            long setups0 = c.requests(StyxMessage.TVERSION);
            for (int run = 0; run < HERD_RESTARTS; run++) {
                busiest = Math.max(busiest, herdRestart(registry, all, small, times, run));
            }
            long connections = c.connections() - connections0;
            long setups = c.requests(StyxMessage.TVERSION) - setups0;
            System.out.printf("%-20s | all %d restored: median %.1f ms, runs %s ms | the %d managers with %d: %.1f ms |"
                    + " per restart %.1f connections, %.1f session setups (Tversion), %.1f probes | busiest second: %.1f ms"
                    + " of simulated registry work%n", schedule.label, all.size(), BenchSupport.median(times[0]) / 1e6,
                    BenchSupport.millis(times[0]), HERD_MANAGERS - 1, HERD_SERVICES, BenchSupport.median(times[1]) / 1e6,
                    connections / (double) HERD_RESTARTS, setups / (double) HERD_RESTARTS,
                    (connections - setups) / (double) HERD_RESTARTS, busiest);
        } finally {
            managers.forEach(RegistryManager::close);
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /**
     * Restarts the registry; records in {@code times[0][run]} when {@code all} were back and in
     * {@code times[1][run]} when {@code small} were.
     *
     * @return the most simulated registry work in any one second of it, in milliseconds
     */
    private static double herdRestart(EmbeddedRegistry registry, List<ServiceRegistration> all,
            List<ServiceRegistration> small, long[][] times, int run) {
        registry.stop();
        registry.start();
        long t1 = System.nanoTime();
        BusyWindow busy = new BusyWindow(registry.counters());
        BenchSupport.waitFor(() -> {
            busy.sample();
            if (times[1][run] == 0 && BenchSupport.restored(registry, small, List.of(), 0, Instant.EPOCH)) {
                times[1][run] = System.nanoTime() - t1;
            }
            return times[1][run] != 0 && BenchSupport.restored(registry, all, List.of(), 0, Instant.EPOCH);
        });
        times[0][run] = System.nanoTime() - t1;
        busy.sample();
        return busy.busiestMillis();
    }

    private static List<ServiceRegistration> register(RegistryManager m, String prefix, int services) {
        List<ServiceRegistration> regs = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            regs.add(m.register(ServiceEntry.of(prefix + i, "kind", "app", "n", Integer.toString(i))));
        }
        return regs;
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
