package io.regmgr.runtime.bench;

import io.regmgr.RegistryManager;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.RegistrySession;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.util.List;

import static io.regmgr.runtime.auth.Vectors.key;

/**
 * A quick scenario harness (not a test) for Inferno authentication against the embedded registry
 * on loopback, client and server in this one process with the vectors' 1024-bit rsa keys: (1) a 9P
 * connect (TCP, version, attach, stat, event read) with the handshake against one without; (2)
 * change-to-listener latency through {@code rc4_256 sha1} records against {@code none} and plain
 * 9P. Prints medians. Run with {@code bash bench/run.sh auth}.
 */
public final class AuthFigures {
    private static final int CONNECTS = 40;
    private static final int REGISTRATIONS = 300;
    private AuthFigures() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry plain = EmbeddedRegistry.builder().vertx(vertx).build().start();
             EmbeddedRegistry secured = EmbeddedRegistry.builder().vertx(vertx)
                     .authentication(key("server.rsa"), List.of()).build().start()) {
            long[] without = connects(options(plain, null, null, vertx));
            long[] with = connects(options(secured, "alice.rsa", "none", vertx));
            System.out.printf("9P connect without authentication: median %.2f ms; with the handshake (rsa 1024, "
                    + "client and server here): median %.2f ms, p90 %.2f ms (%d connects each)%n",
                    BenchSupport.median(without) / 1e6, BenchSupport.median(with) / 1e6,
                    with[(int) (with.length * 0.9)] / 1e6, CONNECTS);
            for (String alg : new String[] {null, "none", "sha1", "rc4_256 sha1"}) {
                latency(alg == null ? plain : secured, alg, vertx);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }


    private static ConnectorOptions options(EmbeddedRegistry registry, String keyName, String alg, Vertx vertx) {
        ConnectorOptions.Builder b = ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).vertx(vertx);
        if (keyName != null) {
            b.authentication(key(keyName), alg);
        }
        return b.build();
    }

    /** @return sorted connect times in nanoseconds, after 5 warm-up connects */
    private static long[] connects(ConnectorOptions options) {
        long[] t = new long[CONNECTS];
        try (StyxConnector c = new StyxConnector(options)) {
            for (int i = -5; i < CONNECTS; i++) {
                long t0 = System.nanoTime();
                RegistrySession s = BenchSupport.quietSession(c);
                long t1 = System.nanoTime();
                s.close().toCompletableFuture().join();
                if (i >= 0) {
                    t[i] = t1 - t0;
                }
            }
        }
        java.util.Arrays.sort(t);
        return t;
    }

    private static void latency(EmbeddedRegistry registry, String alg, Vertx vertx) throws InterruptedException {
        ConnectorOptions mine = options(registry, alg == null ? null : "alice.rsa", alg, vertx);
        try (RegistryManager m = RegistryManagers.styx(mine, ManagerOptions.builder().vertx(vertx).build());
             StyxConnector other = new StyxConnector(options(registry, alg == null ? null : "bob.rsa", alg, vertx))) {
            long[] warm = BenchSupport.changeLatencies(m, BenchSupport.quietSession(other), REGISTRATIONS, () -> true);
            System.out.printf("%-22s registration by another client -> monitor added(): median %.2f ms, p90 %.2f ms"
                    + " (%d samples after 20 warm-up)%n", alg == null ? "plain 9P (no auth)" : "auth, " + alg,
                    BenchSupport.median(warm) / 1e6, warm[(int) (warm.length * 0.9)] / 1e6, warm.length);
        }
    }
}
