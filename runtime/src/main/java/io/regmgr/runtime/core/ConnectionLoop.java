package io.regmgr.runtime.core;

import io.regmgr.RegistryConnectionException;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The connection loop: connect; when a session opens, start every task; on each change, refresh
 * them; when it ends or an attempt fails, stop them and reach the registry again, until
 * {@link #shutDown()}: with a {@link ReconnectSchedule}, probe (cheaply, see
 * {@link RegistryConnector#probe()}) at an interval that grows with the downtime and connect once
 * a probe succeeded, after the schedule's spread; without one, connect again after an
 * exponential backoff with full jitter.
 *
 * <p>Each attempt has a generation number; events of an older session or attempt are ignored, so
 * a late event cannot disturb a newer session. Confined to the manager's context, except the
 * session listener, which hops onto it (a change reported on the context itself is handled at once).
 */
final class ConnectionLoop {
    private static final System.Logger LOG = System.getLogger(ConnectionLoop.class.getName());

    /** What the loop does with the manager's tasks. Called on the context. */
    interface Tasks {
        /** @param session a session opened: start every task */
        void start(LiveSession session);

        /** @param session the registry changed: refresh every started task */
        void refresh(LiveSession session);

        /** @param session the session ended: stop every started task */
        void stop(LiveSession session);
    }

    private final RegistryConnector connector;
    private final Vertx vertx;
    private final Context context;
    private final Backoff backoff;
    /** Null: every attempt is a session setup, after {@link #backoff} (the schedule before probes). */
    private final ReconnectSchedule schedule;
    private final StatusTracker status;
    private final ManagerMetrics metrics;
    private final Tasks tasks;
    /** Kept across sessions: what it learnt of result sizes still holds after a reconnect. */
    private final ReadPlanner planner;
    private final RestartDetector restarts = new RestartDetector();
    private long generation;
    private LiveSession live;
    private CompletionStage<RegistrySession> attempt;
    private Throwable endedBeforeOpen;
    private long retryTimer = -1;
    private boolean shutDown;
    /** When the registry was found down (System.nanoTime), while it is; for the probe interval. */
    private long downSince;
    private boolean down;
    /** The attempt under way follows a probe that the registry accepted. */
    private boolean afterProbe;
    /** Session setups that failed after an accepted probe, since the last session. */
    private int failedSetups;

    ConnectionLoop(RegistryConnector connector, Vertx vertx, Context context, Backoff backoff, ReconnectSchedule schedule,
            StatusTracker status, ManagerMetrics metrics, Tasks tasks, ReadPlanner planner) {
        this.connector = connector;
        this.vertx = vertx;
        this.context = context;
        this.backoff = backoff;
        this.schedule = schedule;
        this.status = status;
        this.metrics = metrics;
        this.tasks = tasks;
        this.planner = planner;
    }

    /** @return the open session, or null */
    LiveSession live() {
        return live;
    }

    /** Makes the first attempt. */
    void start() {
        connect(true);
    }

    /**
     * @param announce whether the listeners hear {@code CONNECTING}: on the first attempt and when a
     *        probe found the registry back (the first time since the last session); not on a retry
     *        that may well fail as the one before, which would tell them of every attempt of an outage
     */
    private void connect(boolean announce) {
        if (shutDown) {
            return;
        }
        long g = ++generation;
        endedBeforeOpen = null;
        status.connecting(announce);
        CompletionStage<RegistrySession> stage = Hop.call(() -> connector.connect(new Listener(g)));
        attempt = stage;
        Hop.whenComplete(stage, context, (session, failure) -> opened(g, session, failure));
    }

    private void opened(long g, RegistrySession session, Throwable failure) {
        if (g != generation || shutDown) {
            closeQuietly(session);
            return;
        }
        attempt = null;
        Throwable why = failure != null ? failure : deadOnArrival(session);
        metrics.observer().attempted("setup", why == null);
        if (why != null) {
            int failed = status.disconnected(why, true);
            LOG.log(Level.DEBUG, () -> "cannot connect to " + connector.describe() + " (attempt " + failed + "): " + why);
            if (afterProbe) {
                failedSetups++;
            }
            retry(failed);
            return;
        }
        down = false;
        afterProbe = false;
        failedSetups = 0;
        boolean restarted = restarts.sessionOpened(session.initialVersion(), session.registryStartTime());
        live = new LiveSession(new ObservedSession(session, status, metrics.observer()), context, restarted,
                session.initialVersion().orElse(-1), tasks::refresh, planner);
        status.connected();
        LOG.log(Level.INFO, () -> "connected to " + connector.describe() + (restarted ? " (the registry restarted)" : ""));
        tasks.start(live);
        metrics.opened(live);
    }

    /** @return why a session that just opened is already over (then closed), or null if it is live */
    private Throwable deadOnArrival(RegistrySession session) {
        if (endedBeforeOpen == null && session.isOpen()) {
            return null;
        }
        closeQuietly(session);
        return endedBeforeOpen != null ? endedBeforeOpen : lost("the session ended as it opened");
    }

    private void changed(long g, long version) {
        if (g != generation || live == null) {
            return;
        }
        status.touch();
        metrics.changeEvent();
        if (restarts.versionSeen(version) && !live.restarted()) {
            live.markRestarted();
            LOG.log(Level.INFO, () -> "the registry at " + connector.describe() + " restarted (version went back to " + version + ")");
        }
        live.changed(version);
    }

    private void ended(long g, Throwable cause) {
        if (g != generation || shutDown) {
            return;
        }
        Throwable why = cause != null ? cause : lost("the session ended");
        if (live == null) {
            endedBeforeOpen = why;
            return;
        }
        LiveSession ending = live;
        live = null;
        ending.end();
        tasks.stop(ending);
        status.disconnected(why, false);
        metrics.lost(why);
        LOG.log(Level.INFO, () -> "connection to " + connector.describe() + " lost: " + why.getMessage());
        retry(0);
    }

    private void retry(int failedAttempts) {
        afterProbe = false;
        if (schedule == null) {
            later(backoff.delay(failedAttempts + 1).toMillis(), () -> connect(false));
            return;
        }
        if (!down) {
            down = true;
            downSince = System.nanoTime();
        }
        long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
        later(schedule.probeDelay(downMillis, ThreadLocalRandom.current()), this::probe);
    }

    /** Probes; once the registry accepted it, sets up the session after the schedule's spread. */
    private void probe() {
        if (shutDown) {
            return;
        }
        long g = ++generation;
        Hop.whenComplete(Hop.call(connector::probe), context, (real, failure) -> {
            if (g != generation || shutDown) {
                return;
            }
            if (failure != null || Boolean.TRUE.equals(real)) {
                metrics.observer().attempted("probe", failure == null);
            }
            if (failure != null) {
                // The registry is down again: a new outage. Setups that failed after earlier probes
                // (a registry flapping, or gone between probe and setup) say nothing about this one,
                // so its first setup after a probe gets only the spread, not their backoff.
                failedSetups = 0;
                Throwable why = Hop.unwrap(failure);
                int failed = status.disconnected(why, true);
                LOG.log(Level.DEBUG, () -> "probe of " + connector.describe() + " failed (attempt " + failed + "): " + why);
                retry(failed);
                return;
            }
            if (Boolean.TRUE.equals(real)) {
                later(schedule.setupDelay(failedSetups, ThreadLocalRandom.current()), () -> {
                    afterProbe = true;
                    connect(failedSetups == 0);
                });
            } else {
                // A connector without a cheap probe: the session setup is the probe, so its
                // failure counts as a failed probe, not as a failed setup.
                connect(false);
            }
        });
    }

    private void later(long millis, Runnable action) {
        retryTimer = vertx.setTimer(Math.max(1, millis), id -> {
            retryTimer = -1;
            action.run();
        });
    }

    /**
     * Stops the loop: no further attempt; the open session (if any) is handed back, still open, so
     * that the manager can stop its tasks before closing it.
     *
     * @return the open session, or null
     */
    LiveSession shutDown() {
        shutDown = true;
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
            retryTimer = -1;
        }
        LiveSession open = live;
        live = null;
        if (open != null) {
            open.end();
        }
        return open;
    }

    /**
     * @param open the session {@link #shutDown()} handed back, or null
     * @return completes when it is closed; a session of an attempt under way is closed whenever
     *     that attempt ends, without being waited for
     */
    CompletionStage<Void> closeSessions(LiveSession open) {
        CompletionStage<Void> closing = open == null ? CompletableFuture.completedFuture(null)
                : Hop.call(() -> open.session().close());
        CompletionStage<RegistrySession> pending = attempt;
        attempt = null;
        if (pending == null) {
            return closing;
        }
        // An attempt under way may still open a session: close it as soon as it does, on whatever
        // thread completes it (the manager's own Vert.x may be closed by then). Not waited for: a
        // registry that accepted the connection and never answers would hold close() for the whole
        // request timeout, and such a session holds nothing of ours (its tasks never started).
        pending.handle((session, failure) -> session)
                .thenCompose(session -> session == null ? CompletableFuture.<Void>completedFuture(null)
                        : Hop.call(session::close));
        return closing;
    }

    private RegistryConnectionException lost(String what) {
        return new RegistryConnectionException(connector.describe(), what, null);
    }

    private static void closeQuietly(RegistrySession session) {
        if (session != null) {
            Hop.call(session::close);
        }
    }

    /** Brings the events of one attempt's session onto the context, tagged with its generation. */
    private final class Listener implements SessionListener {
        private final long g;

        Listener(long g) {
            this.g = g;
        }

        /**
         * At once when the session calls from the manager's context (a 9P session opened by this
         * loop runs there): the change's reads go out in the same turn as the event's answer, with no
         * turn of the context in between. From any other thread, hopped onto the context.
         */
        @Override
        public void changed(long version) {
            if (Vertx.currentContext() == context) {
                ConnectionLoop.this.changed(g, version);
            } else {
                context.runOnContext(v -> ConnectionLoop.this.changed(g, version));
            }
        }

        @Override
        public void closed(Throwable cause) {
            context.runOnContext(v -> ended(g, cause));
        }
    }
}
