package io.regmgr.runtime.core;

import io.regmgr.ServiceEntry;
import io.regmgr.spi.RegistrySession;
import io.vertx.core.Context;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The index read of one registry change (or of a session's start), shared by every task: read
 * once, lazily, on the first request (or when the session lifts a hold, see {@link LiveSession}).
 * The result is completed on the manager's context, so tasks' continuations run there, before the
 * cycle reports itself settled. A failed read is not kept: the next request reads again. A task
 * started after the cycle's read was sent reads again (its first sync must see what was
 * registered before it started). Registrations take the same read as {@link Holdings}.
 *
 * <p>Confined to the manager's context.
 */
final class RefreshCycle {
    private final RegistrySession session;
    private final Context context;
    private final long version;
    private final Consumer<Runnable> gate;
    private final Runnable onSettled;
    private Read current;
    private int inFlight;

    /** One read of the index: its answer, what it holds by name, and its number once sent. */
    private static final class Read {
        final CompletableFuture<List<ServiceEntry>> services = new CompletableFuture<>();
        final CompletionStage<Holdings> holdings = services.thenApply(list -> Holdings.of(number(), list));
        /** 0 until sent (the gate may hold it back). */
        long number;

        long number() {
            return number;
        }
    }

    /**
     * @param session where to read
     * @param context the manager's context
     * @param version the registry's version this cycle reflects, or -1
     * @param gate runs a read now, or later if reads are held back
     * @param onSettled run on the context after each read's result was handed to the tasks
     */
    RefreshCycle(RegistrySession session, Context context, long version, Consumer<Runnable> gate, Runnable onSettled) {
        this.session = session;
        this.context = context;
        this.version = version;
        this.gate = gate;
        this.onSettled = onSettled;
    }

    /** @return the registry's version this cycle reflects, or -1 if unknown */
    long version() {
        return version;
    }

    /** @return whether an index read of this cycle is under way */
    boolean inFlight() {
        return inFlight > 0;
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
        if (current != null && current.number != 0 && current.number <= sentAfter) {
            current = null;
        }
        if (current == null) {
            Read r = new Read();
            current = r;
            inFlight++;
            gate.accept(() -> {
                r.number = Holdings.nextRead();
                Hop.whenComplete(Hop.call(session::index), context, (list, failure) -> settle(r, list, failure));
            });
        }
        return current.services;
    }

    /**
     * @param sentAfter as for {@link #index(long)}: a registration whose latest write was confirmed
     *     after this cycle's read was sent asks for a read sent after that confirmation
     * @return what the registry holds by name, from this cycle's index (read on the first call of
     *     either method); built once per read
     */
    CompletionStage<Holdings> holdings(long sentAfter) {
        index(sentAfter);
        return current.holdings;
    }

    private void settle(Read r, List<ServiceEntry> list, Throwable failure) {
        inFlight--;
        if (failure != null) {
            if (current == r) {
                current = null;
            }
            r.services.completeExceptionally(failure);
        } else {
            r.services.complete(List.copyOf(list));
        }
        onSettled.run();
    }
}
