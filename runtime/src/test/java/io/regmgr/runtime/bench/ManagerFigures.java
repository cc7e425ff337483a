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
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.StyxTestClient;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.vertx.core.Vertx;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A quick scenario harness (not a test) for the manager, per transport, against the embedded
 * registry on loopback: (1) how long after a registry restart (stop, then start at once; 100
 * services, 10 monitors) every service is registered again and every monitor resynced; (2) how long
 * a registration by another client takes to reach a monitor's {@code added()}; (3) how long after
 * another client removes one of the manager's services (as the owner, as behind export) it is
 * registered again, with the default backoff. Prints medians. Run
 * with {@code bash bench/run.sh manager}.
 */
public final class ManagerFigures {
    private static final int SERVICES = 100;
    private static final int MONITORS = 10;
    private static final int RESTARTS = 9;
    private static final int REGISTRATIONS = 300;
    private static final int REPAIRS = 60;

    private ManagerFigures() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        for (String transport : List.of("9P", "bridge")) {
            restart(transport);
            latency(transport);
            repair(transport);
        }
    }

    private static RegistryConnector connector(String transport, EmbeddedRegistry registry, Vertx vertx) {
        if (transport.equals("9P")) {
            return new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).vertx(vertx).build());
        }
        return new BridgeConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.bridgeNewPort())
                .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort()).vertx(vertx).build());
    }

    private static void restart(String transport) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start();
             RegistryConnector connector = connector(transport, registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build())) {
            BenchSupport.RestoreTimes times = BenchSupport.measureRestores(registry, m, SERVICES, MONITORS, RESTARTS);
            System.out.printf("%-6s restart -> %d services back and %d monitors resynced: median %.1f ms from stop() "
                    + "(%.1f ms after start() returned), runs %s ms%n", transport, SERVICES, MONITORS,
                    BenchSupport.median(times.fromStop()) / 1e6, BenchSupport.median(times.fromStart()) / 1e6,
                    BenchSupport.millis(times.fromStop()));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }


    private static void latency(String transport) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start();
             RegistryConnector connector = connector(transport, registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build());
             StyxConnector other = new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                     .vertx(vertx).build())) {
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
            BenchSupport.waitFor(mon::isSynced);
            RegistrySession session = BenchSupport.session(other);
            long[] latency = new long[REGISTRATIONS];
            for (int i = 0; i < REGISTRATIONS; i++) {
                long t0 = System.nanoTime();
                Registration r = session.register(ServiceEntry.of("lat" + i, "kind", "latency"), RegistrationListener.NONE)
                        .toCompletableFuture().join();
                Long t1 = added.poll(10, TimeUnit.SECONDS);
                latency[i] = t1 - t0;
                r.unregister().toCompletableFuture().join();
                removed.poll(10, TimeUnit.SECONDS);
            }
            long[] warm = Arrays.copyOfRange(latency, 20, latency.length);
            Arrays.sort(warm);
            System.out.printf("%-6s registration by another client -> monitor added(): median %.2f ms, p90 %.2f ms"
                    + " (%d samples after 20 warm-up)%n", transport, BenchSupport.median(warm) / 1e6,
                    warm[(int) (warm.length * 0.9)] / 1e6, warm.length);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void repair(String transport) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start();
             RegistryConnector connector = connector(transport, registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build());
             StyxTestClient intruder = StyxTestClient.connect(registry.styxPort())) {
            BlockingQueue<Long> added = new ArrayBlockingQueue<>(4);
            m.monitor(Filter.of("kind", "repair"), new MonitorListener() {
                @Override
                public void added(ServiceEntry service, ChangeOrigin origin) {
                    added.add(System.nanoTime());
                }
            });
            m.register(ServiceEntry.of("tcp!10.0.0.5!8081", "kind", "repair"));
            added.poll(10, TimeUnit.SECONDS);
            intruder.version(StyxTestClient.DEFAULT_MSIZE);
            intruder.attach(0, transport.equals("9P") ? System.getProperty("user.name") : "registry");
            long[] repair = new long[REPAIRS];
            for (int i = 0; i < REPAIRS; i++) {
                intruder.walk(0, 1, "tcp!10.0.0.5!8081");
                long t0 = System.nanoTime();
                intruder.rpc(new StyxMessage.Tremove(intruder.nextTag(), 1));
                Long t1 = added.poll(10, TimeUnit.SECONDS);
                repair[i] = t1 - t0;
            }
            Arrays.sort(repair);
            System.out.printf("%-6s our service removed by another client -> registered again (seen by a monitor):"
                    + " median %.1f ms, p90 %.1f ms over %d removals (default backoff: first retry within 50 ms)%n",
                    transport, BenchSupport.median(repair) / 1e6, repair[(int) (repair.length * 0.9)] / 1e6, REPAIRS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
