package io.regmgr.runtime.bench;

import io.regmgr.RegistryManager;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.RegistryConnector;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * A quick scenario harness (not a test) for the manager, per transport, against the embedded
 * registry on loopback: (1) how long after a registry restart (stop, then start at once; 100
 * services, 10 monitors) every service is registered again and every monitor resynced; (2) how long
 * a registration by another client takes to reach a monitor's {@code added()}. Prints medians. Run
 * with {@code bash bench/run.sh manager}.
 */
public final class ManagerFigures {
    private static final int SERVICES = 100;
    private static final int MONITORS = 10;
    private static final int RESTARTS = 9;
    private static final int REGISTRATIONS = 300;

    private ManagerFigures() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        for (String transport : List.of("9P", "bridge")) {
            restart(transport);
            latency(transport);
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
            long[] warm = BenchSupport.changeLatencies(m, BenchSupport.quietSession(other), REGISTRATIONS, () -> true);
            System.out.printf("%-6s registration by another client -> monitor added(): median %.2f ms, p90 %.2f ms"
                    + " (%d samples after 20 warm-up)%n", transport, BenchSupport.median(warm) / 1e6,
                    warm[(int) (warm.length * 0.9)] / 1e6, warm.length);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }



}
