package io.regmgr.runtime.client;

import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.SessionListener;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shared helpers of the line bridge client tests: waiting on stages, recording listeners, free
 * ports, a connector's options for the embedded registry's bridge.
 */
final class BridgeClientSupport {
    /** Upper bound on any single wait in these tests; they normally take milliseconds. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private BridgeClientSupport() {
    }

    /** @return an Awaitility condition that checks at once, then every 5 ms, for at most {@link #WAIT} */
    static ConditionFactory eventually() {
        return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** @return the stage's value, waiting at most {@link #WAIT} */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + WAIT, e);
        }
    }

    /** @return why the stage failed, waiting at most {@link #WAIT}; an error if it succeeds */
    static Throwable failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + WAIT, e);
        }
    }

    /**
     * @param registry a started registry with its line bridge on
     * @return options of a connector to that bridge's new, find and event ports, request timeout {@link #WAIT}
     */
    static ConnectorOptions.Builder bridgeOptions(EmbeddedRegistry registry) {
        return ConnectorOptions.builder("tcp!127.0.0.1!" + registry.bridgeNewPort())
                .bridgePorts(registry.bridgeFindPort(), registry.bridgeEventPort()).requestTimeout(WAIT);
    }

    /** @return a loopback port that nothing listens on (bound, then released) */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records what a session reports. */
    static final class SessionEvents implements SessionListener {
        final List<Long> versions = new CopyOnWriteArrayList<>();
        private final List<Throwable> closes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void changed(long version) {
            versions.add(version);
        }

        @Override
        public void closed(Throwable cause) {
            closes.add(cause);
        }

        /** @return every {@code closed} call's cause (null for a client close), in order */
        List<Throwable> closes() {
            synchronized (closes) {
                return new ArrayList<>(closes);
            }
        }
    }

    /** Records what a registration reports. */
    static final class Drops implements RegistrationListener {
        final List<Throwable> causes = new CopyOnWriteArrayList<>();

        @Override
        public void dropped(Throwable cause) {
            causes.add(cause);
        }
    }
}
