package io.regmgr.runtime.core;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Bounds how many registrations of one session are under way at once ({@link
 * ManagerOptions#restoreInFlight()}): a registry serves one request at a time, so a manager that
 * sent every registration of a restore at once would make every other client's requests (their
 * session setups included) queue behind all of them; with a few in flight the registry serves the
 * clients interleaved, and one client alone still keeps it busy. One gate per session: when the
 * session ends its waiters are dropped with it (their registrations are stopped anyway).
 *
 * <p>Confined to the manager's context.
 */
final class InFlightGate {
    /**
     * A gate that never waits and counts nothing (so that it may be shared by every manager, on
     * any thread): when no session is open, and for transports whose registrations are not bounded.
     */
    static final InFlightGate OPEN = new InFlightGate(Integer.MAX_VALUE);
    private static final Runnable NOTHING = () -> { };

    private final int limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    /** @param limit how many may be under way at once, at least 1 */
    InFlightGate(int limit) {
        this.limit = Math.max(1, limit);
    }

    /**
     * Runs {@code start} now if fewer than the limit are under way, else once one ends, in order.
     *
     * @param start told the release, to run once when its work ended (later runs do nothing)
     */
    void enter(Consumer<Runnable> start) {
        if (limit == Integer.MAX_VALUE) {
            start.accept(NOTHING);
        } else if (inFlight < limit) {
            inFlight++;
            start.accept(release());
        } else {
            waiting.add(() -> start.accept(release()));
        }
    }

    /** @return how many are under way */
    int inFlight() {
        return inFlight;
    }

    /** @return how many wait */
    int waiting() {
        return waiting.size();
    }

    private Runnable release() {
        boolean[] done = {false};
        return () -> {
            if (done[0]) {
                return;
            }
            done[0] = true;
            Runnable next = waiting.poll();
            if (next == null) {
                inFlight--;
            } else {
                next.run(); // the ended one's place goes to the next in line
            }
        };
    }
}
