package io.regmgr.runtime.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Detects a dead link: when nothing has been received for the probe interval, sends a probe whose
 * own deadline ends the session if it goes unanswered (9P: a {@code Tstat} of the root; the line
 * bridge: a find that matches nothing). A quiet but healthy registry answers the probe, so it is
 * never declared dead; a request that is merely outstanding (9P's event read) does not count as
 * traffic. Confined to its transport's context.
 */
final class LivenessProbe {
    private final Vertx vertx;
    private final long intervalNanos;
    private final Supplier<Future<?>> sendProbe;
    private long lastReceived;
    private long timer = -1;
    private boolean outstanding;
    private boolean stopped;

    /**
     * @param vertx to set timers on (from the client's context)
     * @param interval the silence after which a probe is sent
     * @param sendProbe sends one probe; its future ends when it is answered or failed
     */
    LivenessProbe(Vertx vertx, Duration interval, Supplier<Future<?>> sendProbe) {
        this.vertx = vertx;
        this.intervalNanos = interval.toNanos();
        this.sendProbe = sendProbe;
    }

    /** Starts watching; the silence is counted from now. */
    void start() {
        lastReceived = System.nanoTime();
        arm(intervalNanos);
    }

    /** A whole message arrived. */
    void received() {
        lastReceived = System.nanoTime();
    }

    /** Stops for good (the connection ended). */
    void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void arm(long delayNanos) {
        long millis = Math.max(1, (delayNanos + 999_999) / 1_000_000);
        timer = vertx.setTimer(millis, id -> tick());
    }

    private void tick() {
        timer = -1;
        if (stopped) {
            return;
        }
        long silence = System.nanoTime() - lastReceived;
        if (silence < intervalNanos) {
            arm(intervalNanos - silence);
            return;
        }
        if (!outstanding) {
            outstanding = true;
            sendProbe.get().onComplete(ar -> outstanding = false);
        }
        arm(intervalNanos);
    }
}
