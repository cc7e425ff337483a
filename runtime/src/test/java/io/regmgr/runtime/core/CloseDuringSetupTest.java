package io.regmgr.runtime.core;

import io.regmgr.ConnectionState;
import io.regmgr.RegistryManager;
import io.regmgr.runtime.client.ConnectorOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registry that accepts the connection and never answers {@code Tversion}: {@code close()} does
 * not wait for the session setup under way (found by our breaker: it waited for the whole request
 * timeout, although the manager held nothing to unregister).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseDuringSetupTest {
    @Test
    void closeAbandonsASetupThatTheRegistryNeverAnswers() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger bytesRead = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> acceptAndRead(silent, accepted, bytesRead, ended), "silent-registry");
            acceptor.setDaemon(true);
            acceptor.start();
            // A request timeout far longer than the test: close() may not wait for it.
            RegistryManager m = RegistryManagers.styx(
                    ConnectorOptions.builder("tcp!127.0.0.1!" + silent.getLocalPort())
                            .requestTimeout(Duration.ofMinutes(10)).build(),
                    ManagerOptions.builder().build());
            await().atMost(Network.WAIT).until(() -> bytesRead.get() > 0
                    && m.status().state() == ConnectionState.CONNECTING);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(m::close);
            await().atMost(Network.WAIT).until(closing::isDone);
            assertThat(closing).as("close() while the Tversion waits for an answer").isCompletedWithValue(null);
            await().atMost(Network.WAIT).untilAsserted(() -> assertThat(ended.get())
                    .as("connections the manager closed (the probe's and the abandoned setup's)").isEqualTo(accepted.size()));
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static void acceptAndRead(ServerSocket server, List<Socket> accepted, AtomicInteger bytesRead,
            AtomicInteger ended) {
        try {
            while (true) {
                Socket s = server.accept();
                accepted.add(s);
                Thread reader = new Thread(() -> {
                    byte[] buf = new byte[8192];
                    try (InputStream in = s.getInputStream()) {
                        for (int n; (n = in.read(buf)) > 0; ) {
                            bytesRead.addAndGet(n);
                        }
                    } catch (IOException e) {
                        // the test closes it
                    }
                    ended.incrementAndGet();
                }, "silent-reader");
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException e) {
            // the server socket was closed: the test is over
        }
    }
}
