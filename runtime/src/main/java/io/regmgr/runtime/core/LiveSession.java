package io.regmgr.runtime.core;

import io.regmgr.spi.RegistrySession;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One open session as the manager sees it: the session, whether it found a restarted registry,
 * the latest version, the current refresh cycle and the service names this manager registered
 * through it.
 *
 * <p>Refresh cycles are coalesced: a change that arrives while the current cycle's index read is
 * under way only marks one more cycle as due, run once that read has settled; any number of
 * changes meanwhile cost one more read, not one each.
 *
 * <p>Index reads can be held back: while a session starts, the manager holds them until every
 * registration has had its first answer, so that monitors resync against a registry that lists this
 * manager's own services again, instead of reporting them removed and then added.
 *
 * <p>Confined to the manager's context.
 */
final class LiveSession {
    private final RegistrySession session;
    private final Context context;
    private final Consumer<LiveSession> refreshTasks;
    private final ReadPlanner planner;
    private final Set<String> registeredNames = new HashSet<>();
    private boolean restarted;
    private long version;
    private RefreshCycle cycle;
    private boolean cycleDue;
    private boolean ended;
    private int holds;
    private final List<Runnable> afterHolds = new ArrayList<>();

    /**
     * @param session the open session (observed: its answers count as contact)
     * @param context the manager's context
     * @param restarted whether the registry restarted since the previous session
     * @param version the registry's version at the start, or -1 if unknown
     * @param refreshTasks refreshes every started task with this session's current cycle
     * @param planner chooses how each cycle reads
     */
    LiveSession(RegistrySession session, Context context, boolean restarted, long version,
            Consumer<LiveSession> refreshTasks, ReadPlanner planner) {
        this.session = session;
        this.context = context;
        this.restarted = restarted;
        this.version = version;
        this.refreshTasks = refreshTasks;
        this.planner = planner;
        this.cycle = newCycle();
    }

    RegistrySession session() {
        return session;
    }

    boolean restarted() {
        return restarted;
    }

    /** A restart found after the session opened, by its first event. */
    void markRestarted() {
        restarted = true;
    }

    long version() {
        return version;
    }

    RefreshCycle cycle() {
        return cycle;
    }

    /** @return names registered through this session by this manager's tasks (mutable) */
    Set<String> registeredNames() {
        return registeredNames;
    }

    boolean ended() {
        return ended;
    }

    /** The session is over: no further cycles. */
    void end() {
        ended = true;
    }

    /**
     * The registry changed: refresh every task now, or once the read under way has settled.
     *
     * @param newVersion the registry's version after the change
     */
    void changed(long newVersion) {
        version = newVersion;
        if (cycle.inFlight()) {
            cycleDue = true;
        } else {
            startCycle();
        }
    }

    private void cycleSettled() {
        if (cycleDue && !ended && !cycle.inFlight()) {
            cycleDue = false;
            startCycle();
        }
    }

    private void startCycle() {
        cycle = newCycle();
        refreshTasks.accept(this);
        // every task has asked for its reads: send them now, not a turn of the context later
        cycle.planNow();
    }

    private RefreshCycle newCycle() {
        return new RefreshCycle(session, context, version, this::whenUnheld, this::cycleSettled, planner);
    }

    /**
     * Holds index reads back until the returned release has run (once; further runs do nothing).
     *
     * @return the release
     */
    Runnable hold() {
        holds++;
        boolean[] released = new boolean[1];
        return () -> {
            if (!released[0]) {
                released[0] = true;
                if (--holds == 0) {
                    List<Runnable> due = List.copyOf(afterHolds);
                    afterHolds.clear();
                    due.forEach(Runnable::run);
                }
            }
        };
    }

    /** @param action run now, or once every hold is released */
    void whenUnheld(Runnable action) {
        if (holds == 0) {
            action.run();
        } else {
            afterHolds.add(action);
        }
    }
}
