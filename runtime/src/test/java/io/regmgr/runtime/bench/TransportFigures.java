package io.regmgr.runtime.bench;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A scenario harness (not a test) for the two transports against the embedded registry on
 * loopback: find round trip, register-until-visible-to-another-client, and registrations per
 * second. Prints median and p99 over repeated operations. Run with {@code bash bench/run.sh transports}.
 */
public final class TransportFigures {
    private static final int WARM_UP = 1_000;
    private static final int SAMPLES = 2_000;

    private TransportFigures() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start()) {
            System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            String styx = "tcp!127.0.0.1!" + registry.styxPort();
            String bridge = "tcp!127.0.0.1!" + registry.bridgeNewPort();
            run("9P2000", registry, () -> new StyxConnector(ConnectorOptions.builder(styx).user("bench").build()), 10_000, 1_024);
            run("bridge", registry, () -> new BridgeConnector(ConnectorOptions.builder(bridge)
                    .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort()).build()), 2_000, 16);
        }
    }

    private interface ConnectorFactory {
        RegistryConnector create();
    }

    private static void run(String name, EmbeddedRegistry registry, ConnectorFactory factory, int bulk, int inFlight)
            throws Exception {
        try (RegistryConnector a = factory.create(); RegistryConnector b = factory.create()) {
            RegistrySession mine = connect(a);
            RegistrySession other = connect(b);
            for (int i = 0; i < 10; i++) {
                await(mine.register(ServiceEntry.of(name + "-static" + i, "proto", "tcp", "kind", "fixed"), RegistrationListener.NONE));
            }
            Filter filter = Filter.of("kind", "fixed");
            long[] find = sample(i -> other.find(filter).toCompletableFuture());
            report(name, "find round trip (10 matches)", find);
            long[] visible = sample(i -> mine.register(ServiceEntry.of(name + "-v" + i, "kind", "probe", "n", "" + i),
                    RegistrationListener.NONE).toCompletableFuture()
                    .thenCompose(r -> other.find(Filter.of("n", "" + i)).toCompletableFuture())
                    .thenApply(found -> {
                        if (found.isEmpty()) {
                            throw new IllegalStateException("not visible");
                        }
                        return found;
                    }));
            report(name, "register until another client finds it", visible);
            double[] rates = new double[3];
            for (int round = 0; round < rates.length; round++) {
                rates[round] = bulkRate(mine, name + "-bulk" + round + "-", bulk, inFlight);
            }
            Arrays.sort(rates);
            System.out.printf("%-7s %-42s median %,10.0f /s over %d rounds of %,d (%d in flight)%n", name,
                    "registrations per second, one session", rates[1], rates.length, bulk, inFlight);
            System.out.printf("%-7s registry now holds %,d services%n", name, registry.services().size());
            mine.close();
            other.close();
        }
    }

    private static long[] sample(IntFunction<CompletableFuture<?>> op) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            op.apply(-1 - i).get(10, TimeUnit.SECONDS);
        }
        long[] nanos = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long t0 = System.nanoTime();
            op.apply(i).get(10, TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double bulkRate(RegistrySession session, String prefix, int count, int inFlight) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        List<CompletableFuture<?>> all = new ArrayList<>(count);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            window.acquire();
            // Each entry carries its own address, as real services do: the bridge confirms a
            // registration with a find on the entry's attributes, whose answer grows with the
            // number of services sharing them.
            CompletableFuture<?> f = session.register(ServiceEntry.of(prefix + i, "kind", "bulk", "addr", prefix + i),
                    RegistrationListener.NONE)
                    .toCompletableFuture();
            f.whenComplete((r, e) -> window.release());
            all.add(f);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    private static void report(String transport, String what, long[] sortedNanos) {
        System.out.printf("%-7s %-42s median %8.3f ms   p99 %8.3f ms   (n=%d)%n", transport, what,
                sortedNanos[sortedNanos.length / 2] / 1e6, sortedNanos[(int) (sortedNanos.length * 0.99)] / 1e6,
                sortedNanos.length);
    }

    private static RegistrySession connect(RegistryConnector c) throws Exception {
        return c.connect(new SessionListener() {
            @Override
            public void changed(long version) {
            }

            @Override
            public void closed(Throwable cause) {
            }
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
