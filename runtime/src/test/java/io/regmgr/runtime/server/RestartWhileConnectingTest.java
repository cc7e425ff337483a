package io.regmgr.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Restarts the registry (9P and the line bridge, as the chaos test runs it) while clients connect
 * to its 9P port in a loop: every connection must get its {@code Tversion} answered or be refused
 * or closed, never be left in silence (a connection accepted by no one, or handed to a stopped
 * registry that neither serves nor closes it), and a connection open when the registry stops is
 * closed. Written to hunt the chaos test's one silent intruder; it counts outcomes, asserts no
 * timing, and prints the counts ({@code -Dregmgr.restarts=N} for a longer hunt under load).
 */
class RestartWhileConnectingTest {
    /** Restarts per run; {@code -Dregmgr.restarts=N} for a longer hunt. */
    private static final int RESTARTS = Integer.getInteger("regmgr.restarts", 40);
    private static final int CLIENTS = 2;

    @Test
    void everyConnectionDuringRestartsIsAnsweredOrClosed() throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start()) {
            int port = registry.styxPort();
            AtomicBoolean restarting = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger cut = new AtomicInteger();
            AtomicInteger failedStarts = new AtomicInteger();
            List<String> failures = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    try {
                        while (restarting.get()) {
                            probe(port, answered, cut, failures);
                        }
                    } finally {
                        done.countDown();
                    }
                }, "restart-probe-" + c);
                t.setDaemon(true);
                t.start();
            }
            for (int i = 0; i < RESTARTS && failures.isEmpty(); i++) {
                try (StyxTestClient held = StyxTestClient.connect(port)) {
                    assertThat(held.version(StyxTestClient.DEFAULT_MSIZE)).isInstanceOf(Rversion.class);
                    registry.stop();
                    assertThat(held.isClosedByPeer()).as("a connection open at stop is closed").isTrue();
                }
                await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                        .ignoreExceptions().until(() -> {
                            try {
                                return registry.start().isRunning();
                            } catch (RegistryServerException e) {
                                failedStarts.incrementAndGet();
                                throw e;
                            }
                        });
                int before = answered.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() > before || !failures.isEmpty());
            }
            restarting.set(false);
            System.out.printf("%d restarts (%d starts failed and were retried): %d connections answered,"
                    + " %d refused or cut, %d silent or wrong%n", RESTARTS, failedStarts.get(), answered.get(),
                    cut.get(), failures.size());
            assertThat(done.await(2 * StyxTestClient.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(failures).as("connections left silent or answered wrongly (answered %d, cut %d)",
                    answered.get(), cut.get()).isEmpty();
            assertThat(answered.get()).isGreaterThanOrEqualTo(RESTARTS);
        }
    }

    private static void probe(int port, AtomicInteger answered, AtomicInteger cut, List<String> failures) {
        try (StyxTestClient client = StyxTestClient.connect(port)) {
            StyxMessage reply = client.version(StyxTestClient.DEFAULT_MSIZE);
            if (reply instanceof Rversion) {
                answered.incrementAndGet();
            } else {
                failures.add("answered " + reply + " instead of Rversion");
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof SocketTimeoutException) {
                failures.add(e.getMessage() + " at " + Instant.now());
            } else {
                cut.incrementAndGet(); // refused, reset or closed: the client knows at once
            }
        } catch (RuntimeException e) {
            failures.add("unexpected " + e);
        }
    }
}
