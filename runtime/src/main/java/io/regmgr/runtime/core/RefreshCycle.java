package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import io.regmgr.spi.RegistrySession;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The reads of one registry change (or of a session's start), shared by every task. Tasks ask for
 * what they need: the index ({@link #index}), the services matching a filter ({@link #find}), or
 * what the registry holds for this manager's names ({@link #holdings}). The requests made during
 * one turn of the manager's context are planned together (once reads are not held back, see
 * {@link LiveSession}): tasks with the same filter share one read, and the {@link ReadPlanner}
 * chooses ({@link ReadPlan}) between one index read that every filter is then answered from, and
 * reads sent together: covers (a find {@code A *} that every filter carrying {@code A} of its group
 * is answered from) and one filtered find per remaining filter. A filter asked later in the cycle
 * is answered from the index or a cover of one of its attributes when the cycle has one recent
 * enough. Results complete on the manager's context, so tasks' continuations run there, before the
 * cycle reports itself settled. A failed read is not kept: the next request reads again, and what
 * was to be answered from it fails with it. A task started after a read was sent reads again (its
 * first sync must see what was registered before it started).
 *
 * <p>The read methods are the one place where the manager reads the registry: {@link #sendIndex}
 * and {@link #sendFind}.
 *
 * <p>Confined to the manager's context.
 */
final class RefreshCycle {
    private final RegistrySession session;
    private final Context context;
    private final long version;
    private final Consumer<Runnable> gate;
    private final Runnable onSettled;
    private final ReadPlanner planner;
    /** This cycle's index read, if any. */
    private CycleRead index;
    /** This cycle's reads by filter: sent as finds (covers included), or answered from the index read or a cover. */
    private final Map<Filter, CycleRead> finds = new HashMap<>();
    /** Asked for, not planned yet. */
    private final List<CycleRead> unplanned = new ArrayList<>();
    private boolean planDue;
    /** The pending plan's turn, once reads are not held back: run by the context or by {@link #planNow()}. */
    private Runnable planTurn;
    private int inFlight;
    /** Whether a read of this cycle failed. */
    private boolean failed;
    /** Completed once no read of this cycle is in flight: see {@link #settled()}. */
    private final List<CompletableFuture<Void>> settledWaiters = new ArrayList<>();

    /**
     * @param session where to read
     * @param context the manager's context
     * @param version the registry's version this cycle reflects, or -1
     * @param gate runs reads now, or later if reads are held back
     * @param onSettled run on the context after each read's result was handed to the tasks
     * @param planner chooses finds or the index, and learns the sizes of results
     */
    RefreshCycle(RegistrySession session, Context context, long version, Consumer<Runnable> gate, Runnable onSettled,
            ReadPlanner planner) {
        this.session = session;
        this.context = context;
        this.version = version;
        this.gate = gate;
        this.onSettled = onSettled;
        this.planner = planner;
    }

    /** @return the registry's version this cycle reflects, or -1 if unknown */
    long version() {
        return version;
    }

    /** @return whether a read of this cycle is asked for or under way */
    boolean inFlight() {
        return inFlight > 0;
    }

    /**
     * @return completes once every read asked of this cycle so far (index or finds, whatever the
     *     plan) has settled and none is in flight, exceptionally if one of them failed; asks for
     *     no read itself (the restore time waits on it without changing what is read)
     */
    CompletionStage<Void> settled() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        if (inFlight == 0) {
            completeSettled(waiter);
        } else {
            settledWaiters.add(waiter);
        }
        return waiter;
    }

    private void completeSettled(CompletableFuture<Void> waiter) {
        if (failed) {
            waiter.completeExceptionally(new IllegalStateException("a read of this cycle failed"));
        } else {
            waiter.complete(null);
        }
    }

    /** @return the index of this cycle, read on the first call */
    CompletionStage<List<ServiceEntry>> index() {
        return index(0);
    }

    /**
     * @param sentAfter the number of the last read sent before the asker started
     *     ({@link Holdings#lastRead()}): a read sent before that may miss what the asker must see
     *     (a monitor attached after a service was registered must report it at its first sync), so
     *     it is read again; 0 to take whatever this cycle read
     * @return the index of this cycle, read on the first call
     */
    CompletionStage<List<ServiceEntry>> index(long sentAfter) {
        if (index != null && index.sentBefore(sentAfter)) {
            index = null;
        }
        if (index == null) {
            index = ask(null);
        }
        return index.services;
    }

    /**
     * @param filter the services wanted; {@link Filter#all()} is the index
     * @param sentAfter as for {@link #index(long)}
     * @return the services of this cycle matching {@code filter}: its own find, shared by every
     *     asker with the same filter, or the index read or a cover filtered here
     */
    CompletionStage<List<ServiceEntry>> find(Filter filter, long sentAfter) {
        return filter.isAll() ? index(sentAfter) : findRead(filter, sentAfter).services;
    }

    private CycleRead findRead(Filter filter, long sentAfter) {
        CycleRead r = finds.get(filter);
        if (r != null && r.sentBefore(sentAfter)) {
            r = null;
        }
        if (r == null) {
            CycleRead source = sourceFor(filter, sentAfter);
            r = source != null ? derived(filter, source) : ask(filter);
            finds.put(filter, r);
        }
        return r;
    }

    /**
     * @return a read of this cycle that lists every service {@code filter} matches and is recent
     *     enough for the asker: the index, else the cover of one of the filter's attributes; null
     *     if there is none
     */
    private CycleRead sourceFor(Filter filter, long sentAfter) {
        if (index != null && index.usable(sentAfter)) {
            return index;
        }
        for (Map.Entry<String, String> pair : filter.pairs()) {
            CycleRead cover = finds.get(ReadPlan.cover(pair.getKey()));
            if (cover != null && cover.from == null && cover.usable(sentAfter)) {
                return cover;
            }
        }
        return null;
    }

    /**
     * @param sentAfter as for {@link #index(long)}: a registration whose latest write was confirmed
     *     after this cycle's read was sent asks for a read sent after that confirmation (a find on
     *     its token or the index, whichever this cycle reads)
     * @return what the registry holds for this manager's names: the find on its instance token
     *     (partial: a name held by another party is not in it), or the index without a token
     */
    CompletionStage<Holdings> holdings(long sentAfter) {
        CycleRead r = planner.ours().map(f -> findRead(f, sentAfter)).orElseGet(() -> {
            index(sentAfter);
            return index;
        });
        if (r.holdings == null) {
            boolean complete = r.filter == null;
            r.holdings = r.services.thenApply(list -> Holdings.of(r.number(), list, complete));
        }
        return r.holdings;
    }

    /**
     * @param sentAfter as for {@link #index(long)}
     * @return what the registry holds under every name, from this cycle's index read
     */
    CompletionStage<Holdings> fullHoldings(long sentAfter) {
        index(sentAfter);
        CycleRead r = index;
        if (r.holdings == null) {
            r.holdings = r.services.thenApply(list -> Holdings.of(r.number(), list, true));
        }
        return r.holdings;
    }

    private CycleRead ask(Filter filter) {
        CycleRead r = new CycleRead(filter);
        inFlight++;
        unplanned.add(r);
        if (!planDue) {
            planDue = true;
            // the requests of this turn (every task refreshed in one loop) are planned together
            gate.accept(() -> {
                Runnable turn = new Runnable() {
                    @Override
                    public void run() {
                        if (planTurn == this) {
                            plan();
                        }
                    }
                };
                planTurn = turn;
                context.runOnContext(v -> turn.run());
            });
        }
        return r;
    }

    /**
     * Plans at once what was asked for so far, unless reads are held back: for the caller that
     * knows every task has asked (the refresh of a change), which saves the change's reads a turn
     * of the context.
     */
    void planNow() {
        Runnable turn = planTurn;
        if (turn != null) {
            turn.run();
        }
    }

    private CycleRead derived(Filter filter, CycleRead from) {
        CycleRead r = new CycleRead(filter);
        link(r, from);
        return r;
    }

    /**
     * Answers the find {@code r} from the read {@code from} (the index, or a cover: a find that
     * lists everything {@code r} matches), filtered here: every find linked before {@code from}
     * completes is answered in one pass over it ({@link FilterIndex}).
     */
    private void link(CycleRead r, CycleRead from) {
        r.from = from;
        if (from.services.isDone()) {
            from.services.whenComplete((list, failure) -> answer(List.of(r), list, failure));
            return;
        }
        if (from.derived == null) {
            from.derived = new ArrayList<>();
            from.services.whenComplete((list, failure) -> answerDerived(from, list, failure));
        }
        from.derived.add(r);
    }

    private void answerDerived(CycleRead from, List<ServiceEntry> list, Throwable failure) {
        List<CycleRead> due = List.copyOf(from.derived);
        from.derived.clear();
        answer(due, list, failure);
    }

    private void answer(List<CycleRead> reads, List<ServiceEntry> list, Throwable failure) {
        if (failure != null) {
            for (CycleRead r : reads) {
                forget(r);
                r.services.completeExceptionally(failure);
            }
            return;
        }
        List<Filter> filters = new ArrayList<>(reads.size());
        reads.forEach(r -> filters.add(r.filter));
        Map<Filter, List<ServiceEntry>> split = new FilterIndex(filters).split(list);
        for (CycleRead r : reads) {
            List<ServiceEntry> matching = split.get(r.filter);
            planner.filterRead(r.filter, matching.size());
            r.services.complete(matching);
        }
    }

    private void plan() {
        planDue = false;
        planTurn = null;
        List<CycleRead> batch = List.copyOf(unplanned);
        unplanned.clear();
        Set<Filter> filters = new LinkedHashSet<>();
        CycleRead asked = null;
        for (CycleRead r : batch) {
            if (r.filter == null) {
                asked = r;
            } else {
                filters.add(r.filter);
            }
        }
        ReadPlan plan = asked != null ? ReadPlan.INDEX : planner.plan(filters, session.requestsPerRead());
        if (plan.index()) {
            CycleRead whole = asked;
            if (whole == null) {
                whole = new CycleRead(null);
                inFlight++;
                index = whole;
            }
            sendIndex(whole);
            answerFrom(whole, batch);
            return;
        }
        Map<Filter, CycleRead> covers = sendCovers(plan, batch);
        for (CycleRead r : batch) {
            Filter cover = plan.covered().get(r.filter);
            if (cover == null) {
                sendFind(r);
            } else if (covers.get(cover) != r) {
                answerFrom(covers.get(cover), List.of(r));
            }
        }
    }

    /**
     * Sends the plan's covers, each a find {@code A *}: the read asked for that filter itself when
     * a task asked for it, else a read of this cycle's own, kept for later askers.
     *
     * @return the cover reads by their filters
     */
    private Map<Filter, CycleRead> sendCovers(ReadPlan plan, List<CycleRead> batch) {
        Map<Filter, CycleRead> covers = new HashMap<>();
        for (CycleRead r : batch) {
            if (r.filter != null && r.filter.equals(plan.covered().get(r.filter))) {
                covers.put(r.filter, r);
            }
        }
        for (Filter cover : plan.covers()) {
            CycleRead r = covers.get(cover);
            if (r == null) {
                r = new CycleRead(cover);
                inFlight++;
                covers.put(cover, r);
                finds.put(cover, r);
            }
            sendFind(r);
        }
        return covers;
    }

    /** One index read, for everything asked of this cycle meanwhile. */
    private void sendIndex(CycleRead r) {
        r.number = Holdings.nextRead();
        Hop.whenComplete(Hop.call(session::index), context, (list, failure) -> {
            if (failure == null) {
                planner.indexRead(list);
            }
            settle(r, list, failure);
        });
    }

    /** One filtered find (over 9P on a fid kept open for the filter). */
    private void sendFind(CycleRead r) {
        r.number = Holdings.nextRead();
        Hop.whenComplete(Hop.call(() -> session.find(r.filter)), context, (list, failure) -> {
            if (failure == null) {
                planner.filterRead(r.filter, list);
            } else {
                planner.readFailed(r.filter);
            }
            settle(r, list, failure);
        });
    }

    /** Finds planned as part of the read {@code source} (the index or a cover): answered from it, not sent. */
    private void answerFrom(CycleRead source, List<CycleRead> reads) {
        for (CycleRead r : reads) {
            if (r != source) {
                inFlight--;
                link(r, source);
            }
        }
    }

    private void forget(CycleRead r) {
        if (r.filter == null) {
            if (index == r) {
                index = null;
            }
        } else if (finds.get(r.filter) == r) {
            finds.remove(r.filter);
        }
    }

    private void settle(CycleRead r, List<ServiceEntry> list, Throwable failure) {
        inFlight--;
        if (failure != null) {
            failed = true;
            forget(r);
            r.services.completeExceptionally(failure);
        } else {
            r.services.complete(List.copyOf(list));
        }
        if (inFlight == 0 && !settledWaiters.isEmpty()) {
            List<CompletableFuture<Void>> due = List.copyOf(settledWaiters);
            settledWaiters.clear();
            due.forEach(this::completeSettled);
        }
        onSettled.run();
    }
}
