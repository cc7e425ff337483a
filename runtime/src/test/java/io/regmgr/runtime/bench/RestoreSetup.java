package io.regmgr.runtime.bench;

import io.regmgr.ConnectionListener;
import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.CostModel;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.spi.RegistryConnector;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One registry and one manager with its services and monitors, restarted again and again: each
 * restart timed from {@code start()} returning until every service is listed again and every
 * monitor resynced, split into phases. {@link RestoreFigures} runs several (one per schedule)
 * and restarts them in turn, so that the load of the machine weighs on each alike.
 */
final class RestoreSetup implements AutoCloseable {
    private final String transport;
    private final String label;
    private final CostModel model;
    private final int services;
    private final EmbeddedRegistry registry;
    private final RegistryConnector connector;
    private final RegistryManager manager;
    private final AtomicLong connectedAt = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final List<ServiceRegistration> regs = new ArrayList<>();
    private final List<Monitor> mons = new ArrayList<>();
    /** [phase][run]: 0 until restored, 1 until the session opened, 2 until every registration was confirmed. */
    private final List<long[]> runs = new ArrayList<>();
    private long simulated0;
    private long requests0;

    RestoreSetup(String transport, String label, ManagerOptions.Builder options, CostModel model, Vertx vertx,
            int services, int monitors) {
        this.transport = transport;
        this.label = label;
        this.model = model;
        this.services = services;
        this.registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").costModel(model).build().start();
        this.connector = transport.equals("9P")
                ? new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).vertx(vertx).build())
                : new BridgeConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.bridgeNewPort())
                        .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort()).vertx(vertx).build());
        this.manager = RegistryManagers.create(connector, options.vertx(vertx).build());
        manager.onConnection(new ConnectionListener() {
            @Override
            public void onStatus(ConnectionStatus status) {
                if (status.state() == ConnectionState.CONNECTED) {
                    connectedAt.set(System.nanoTime());
                    sessions.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < services; i++) {
            regs.add(manager.register(ServiceEntry.of("svc" + i, "kind", "app", "n", Integer.toString(i))));
        }
        for (int i = 0; i < monitors; i++) {
            mons.add(manager.monitor(Filter.of("kind", "app"), new MonitorListener() { }));
        }
        BenchSupport.waitFor(() -> BenchSupport.restored(registry, regs, mons, services, Instant.EPOCH));
    }

    /** From now on, restarts are timed and the registry's work counted. */
    void startCounting() {
        runs.clear();
        RegistryCounters c = registry.counters();
        simulated0 = c.simulatedNanos();
        requests0 = c.simulatedRequests();
    }

    /** Restarts the registry and times the restore. */
    void restart() {
        Instant before = Instant.now();
        long opened = sessions.get();
        registry.stop();
        registry.start();
        long t1 = System.nanoTime();
        // the session may open before start() returned: counted from t1 it then took no time
        BenchSupport.waitFor(() -> sessions.get() > opened
                && regs.stream().allMatch(r -> r.status().state() == RegistrationState.REGISTERED));
        long registered = System.nanoTime();
        BenchSupport.waitFor(() -> BenchSupport.restored(registry, regs, mons, services, before));
        runs.add(new long[] {System.nanoTime() - t1, Math.max(0, connectedAt.get() - t1), registered - t1});
    }

    /** @return one row: median and p90, the phases' medians, the model's floor, the registry's work per restore */
    String row() {
        long[] total = phase(0);
        long[] sorted = total.clone();
        Arrays.sort(sorted);
        RegistryCounters c = registry.counters();
        int n = total.length;
        return String.format("%-6s %-20s | %6.1f / %6.1f | %6.1f / %6.1f / %6.1f | %5.1f | %5.1f ms, %4.0f requests | %s",
                transport, label, BenchSupport.median(total) / 1e6, sorted[(int) (n * 0.9)] / 1e6,
                BenchSupport.median(phase(1)) / 1e6, BenchSupport.median(phase(2)) / 1e6, BenchSupport.median(total) / 1e6,
                floorMillis(transport, model, services), (c.simulatedNanos() - simulated0) / 1e6 / n,
                (c.simulatedRequests() - requests0) / (double) n, BenchSupport.millis(total));
    }

    private long[] phase(int p) {
        return runs.stream().mapToLong(r -> r[p]).toArray();
    }

    /**
     * @return the registry time the model charges for the restore's registrations alone: over 9P
     *     3 requests each (walk, open, write), over the bridge a {@code new} connection (2) and its line (1);
     *     the finds that confirm them are left out (a lower bound), so the split of a bridge find's
     *     requests between its accept and its filter ({@link CostModel#BRIDGE_FIND_OPEN_REQUESTS})
     *     does not move it
     */
    static double floorMillis(String transport, CostModel model, int services) {
        int perService = transport.equals("9P") ? 3 : CostModel.BRIDGE_OPEN_REQUESTS + 1;
        return model.nanos((long) perService * services, 0) / 1e6;
    }

    @Override
    public void close() {
        manager.close();
        connector.close();
        registry.close();
    }
}
