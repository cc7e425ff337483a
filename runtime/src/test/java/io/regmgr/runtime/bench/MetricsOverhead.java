package io.regmgr.runtime.bench;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.MonitorListener;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.core.FixedObservedManager;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.otel.OpenTelemetryMetrics;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import io.vertx.core.Vertx;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scenario harness (not a test): what recording metrics through OpenTelemetry costs on the
 * change-to-listener path. One embedded registry on loopback, two managers over 9P in the same
 * run, one without metrics and one recording them with the OpenTelemetry SDK (an in-memory
 * reader, collected once at the end); each watches its own kind. Another client registers and
 * removes a service of each kind in turn (which kind goes first alternates, so neither gains from
 * the order); each sample is the time from the registration's answer being sent to the monitor's
 * {@code added()}. Prints both medians and the overhead. Run with {@code bash bench/run.sh metrics}.
 */
public final class MetricsOverhead {
    private static final int ROUNDS = 1500;
    private static final int WARM_UP = 100;

    private MetricsOverhead() {
    }

    /** One monitored kind: its manager and the times its listener heard an addition. */
    private record Side(String kind, BlockingQueue<Long> added) {
        Side(RegistryManager m, String kind) {
            this(kind, new ArrayBlockingQueue<>(4));
            BlockingQueue<Long> q = added;
            m.monitor(kind, Filter.of("kind", kind), new MonitorListener() {
                @Override
                public void added(ServiceEntry service, ChangeOrigin origin) {
                    q.add(System.nanoTime());
                }
            });
        }

        long once(RegistrySession other, int i) throws InterruptedException {
            long t0 = System.nanoTime();
            Registration r = other.register(ServiceEntry.of(kind + i, "kind", kind), RegistrationListener.NONE)
                    .toCompletableFuture().join();
            Long t1 = added.poll(10, TimeUnit.SECONDS);
            r.unregister().toCompletableFuture().join();
            if (t1 == null) {
                throw new IllegalStateException(kind + ": no added() within 10 s");
            }
            return t1 - t0;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Vertx vertx = Vertx.vertx();
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
             EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start();
             RegistryManager plain = manager(registry, vertx, ManagerOptions.builder());
             RegistryManager metered = manager(registry, vertx, ManagerOptions.builder().metrics(
                     OpenTelemetryMetrics.of(OpenTelemetrySdk.builder().setMeterProvider(provider).build())));
             StyxConnector other = new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                     .vertx(vertx).build())) {
            Side without = new Side(plain, "plain");
            Side with = new Side(metered, "metered");
            BenchSupport.waitFor(() -> plain.status().isConnected() && metered.status().isConnected());
            RegistrySession session = BenchSupport.quietSession(other);
            long[] a = new long[ROUNDS];
            long[] b = new long[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                boolean withFirst = i % 2 == 1;
                if (withFirst) {
                    b[i] = with.once(session, i);
                }
                a[i] = without.once(session, i);
                if (!withFirst) {
                    b[i] = with.once(session, i);
                }
            }
            double ma = BenchSupport.median(warm(a));
            double mb = BenchSupport.median(warm(b));
            System.out.printf("registration by another client -> monitor added(), 9P, %d samples each after %d warm-up:%n"
                    + "  without metrics: median %.3f ms%n  with OpenTelemetry metrics: median %.3f ms%n"
                    + "  overhead: %+.1f %% (target < 5 %%); %d metrics recorded%n", ROUNDS - WARM_UP, WARM_UP,
                    ma / 1e6, mb / 1e6, (mb - ma) / ma * 100, reader.collectAllMetrics().size());
            observerCost(OpenTelemetryMetrics.of(OpenTelemetrySdk.builder().setMeterProvider(provider).build()));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** What one live change costs the observer alone: its index read, one delta, the delivery time. */
    private static void observerCost(OpenTelemetryMetrics metrics) {
        ManagerObserver o = metrics.open(new FixedObservedManager("bench"));
        int n = 2_000_000;
        long cost = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                o.read("index", 1_000_000, 1, 64, false);
                o.delivered("bench", "added", ChangeOrigin.LIVE, false);
                o.changeDelivered("bench", 1_000_000);
            }
            cost = System.nanoTime() - t0;
        }
        o.close();
        System.out.printf("  the observer's own cost per live change (a read, a delta, a delivery time): %.0f ns%n",
                (double) cost / n);
    }

    private static RegistryManager manager(EmbeddedRegistry registry, Vertx vertx, ManagerOptions.Builder options) {
        return RegistryManagers.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).vertx(vertx).build(),
                options.vertx(vertx).build());
    }

    private static long[] warm(long[] samples) {
        long[] w = Arrays.copyOfRange(samples, WARM_UP, samples.length);
        Arrays.sort(w);
        return w;
    }
}
