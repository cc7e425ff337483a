package io.regmgr.runtime.bench;

import io.regmgr.runtime.protocol.StyxMessage.Rattach;
import io.regmgr.runtime.server.StyxTestClient;

import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A 9P client that behaves as the original Perl module does after losing the registry: it opens a
 * new session (connect, {@code Tversion}, {@code Tattach}) once a second, counted from the loss,
 * until one works (at most five tries). Used by {@link StartupFigures} for the issue's
 * restart-and-look-one-second-later scenario. One thread of its own; {@link #stop()} ends it.
 */
final class RetryingClient {
    private static final int TRIES = 5;

    private final int port;
    private final Thread thread;
    private volatile long lostAt;
    private volatile boolean reconnected;
    private volatile long reconnectedAt;
    private volatile int tries;
    private volatile long firstTryTook = -1;
    private volatile long firstTryAt;

    private RetryingClient(int port, StyxTestClient session) {
        this.port = port;
        this.thread = new Thread(() -> watch(session), "retrying-client");
        thread.setDaemon(true);
    }

    /**
     * @param port the registry's 9P port
     * @return a client with a session open now, watching for its loss
     */
    static RetryingClient attach(int port) {
        StyxTestClient session = StyxTestClient.connect(port);
        session.version(8216);
        if (!(session.attach(0, "perl") instanceof Rattach)) {
            session.close();
            throw new IllegalStateException("the registry on port " + port + " refused the first session");
        }
        RetryingClient client = new RetryingClient(port, session);
        client.thread.start();
        return client;
    }

    private void watch(StyxTestClient session) {
        try (session) {
            while (!session.isClosedByPeer()) {
                // isClosedByPeer gives up after the client's read timeout: keep waiting
                continue;
            }
        }
        long lost = System.nanoTime();
        lostAt = lost;
        for (int k = 1; k <= TRIES; k++) {
            try {
                TimeUnit.NANOSECONDS.sleep(lost + TimeUnit.SECONDS.toNanos(k) - System.nanoTime());
            } catch (InterruptedException e) {
                return;
            }
            long tried = System.nanoTime();
            boolean opened = newSession();
            if (k == 1) {
                firstTryAt = tried;
                firstTryTook = System.nanoTime() - tried;
            }
            if (opened) {
                reconnectedAt = System.nanoTime();
                reconnected = true;
            }
            tries = k; // last: a reader that sees the count sees the outcome
            if (opened) {
                return;
            }
        }
    }

    private boolean newSession() {
        try (StyxTestClient session = StyxTestClient.connect(port)) {
            session.version(8216);
            return session.attach(0, "perl") instanceof Rattach;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * @param nanoTime a {@link System#nanoTime()} instant
     * @return whether the client had a new session by then
     */
    boolean connectedBy(long nanoTime) {
        return reconnected && reconnectedAt - nanoTime <= 0;
    }

    /** @return whether its first try, one second after the loss, opened a new session (false until it has) */
    boolean firstTrySucceeded() {
        return reconnected && tries == 1;
    }

    /** @return whether its first try has ended, either way */
    boolean firstTryDone() {
        return tries >= 1;
    }

    /** @return the {@link System#nanoTime()} when its first try began (meant: one second after the loss) */
    long firstTryAt() {
        return firstTryAt;
    }

    /** @return how long its first try (connect, {@code Tversion}, {@code Tattach}) took, in nanoseconds; -1 before it ended */
    long firstTryTook() {
        return firstTryTook;
    }

    /** @return the {@link System#nanoTime()} when the client saw its session end */
    long lostAt() {
        return lostAt;
    }

    /** Ends the retries and waits for the thread. */
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(15));
    }
}
