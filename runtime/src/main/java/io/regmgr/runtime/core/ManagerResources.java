package io.regmgr.runtime.core;

import io.regmgr.spi.RegistryConnector;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a manager creates and must release: the thread pool for user callbacks (threads named
 * {@code <manager name>-listener-N}, daemon, idle ones retired after a few seconds) and, unless one
 * was shared with it, a Vert.x instance. Released once, in order, going on past failures and
 * reporting them together. Thread-safe.
 */
final class ManagerResources {
    private static final System.Logger LOG = System.getLogger(ManagerResources.class.getName());
    private static final long IDLE_THREAD_SECONDS = 5;

    private final String name;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final ThreadPoolExecutor pool;
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    ManagerResources(ManagerOptions options) {
        this.name = options.name();
        this.ownsVertx = options.vertx().isEmpty();
        this.vertx = options.vertx().orElseGet(Vertx::vertx);
        // Unbounded and without a queue: a listener that blocks takes one thread, never another task's.
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads(name + "-listener-"));
    }

    Vertx vertx() {
        return vertx;
    }

    /**
     * @param owner what the submissions belong to, for logs
     * @return a new serial executor over the pool
     */
    SerialExecutor serialExecutor(String owner) {
        return new SerialExecutor(pool, owner);
    }

    /**
     * Releases everything, once: the connector if owned, the pool (what is queued still runs), the
     * Vert.x instance if owned.
     *
     * @param connector the manager's connector
     * @param ownsConnector whether the manager made it
     * @param earlier failures met while closing, reported with these
     */
    void release(RegistryConnector connector, boolean ownsConnector, List<Throwable> earlier) {
        if (released.isDone()) {
            return;
        }
        List<Throwable> failures = new ArrayList<>(earlier);
        if (ownsConnector) {
            try {
                connector.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        pool.shutdown();
        if (!ownsVertx) {
            finish(failures);
            return;
        }
        vertx.close().onComplete(ar -> {
            if (ar.failed()) {
                failures.add(ar.cause());
            }
            finish(failures);
        });
    }

    private void finish(List<Throwable> failures) {
        if (!failures.isEmpty()) {
            RuntimeException all = new IllegalStateException(name + ": " + failures.size() + " failure(s) while closing");
            failures.forEach(all::addSuppressed);
            LOG.log(Level.WARNING, all.getMessage(), all);
        }
        released.complete(null);
    }

    /**
     * Waits until released, unless on an event loop (which must not block).
     *
     * @param timeout how long at most
     */
    void awaitClosed(Duration timeout) {
        if (Context.isOnEventLoopThread()) {
            return;
        }
        try {
            released.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, name + " not closed within " + timeout.toMillis() + " ms; finishing in the background");
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, name + " close failed", e.getCause());
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
