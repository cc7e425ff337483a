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
 * once, lazily, on the first request (or when the session lifts a hold, see {@link LiveSession}). The result is completed on the manager's context, so tasks'
 * continuations run there, before the cycle reports itself settled. A failed read is not kept: the
 * next request reads again.
 *
 * <p>Confined to the manager's context.
 */
final class RefreshCycle {
    private final RegistrySession session;
    private final Context context;
    private final long version;
    private final Consumer<Runnable> gate;
    private final Runnable onSettled;
    private CompletableFuture<List<ServiceEntry>> index;
    private long read;
    private CompletionStage<List<ServiceEntry>> holdingsOf;
    private CompletionStage<Holdings> holdings;
    private boolean inFlight;

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

    /** @return whether its index read is under way */
    boolean inFlight() {
        return inFlight;
    }

    /** @return the index of this cycle, read on the first call */
    CompletionStage<List<ServiceEntry>> index() {
        if (index == null) {
            CompletableFuture<List<ServiceEntry>> read = new CompletableFuture<>();
            index = read;
            inFlight = true;
            gate.accept(() -> {
                this.read = Holdings.nextRead();
                Hop.whenComplete(Hop.call(session::index), context, (list, failure) -> settle(read, list, failure));
            });
        }
        return index;
    }

    /**
     * @return what the registry holds by name, from this cycle's index (read on the first call of
     *     either method); built once per read
     */
    CompletionStage<Holdings> holdings() {
        CompletionStage<List<ServiceEntry>> current = index();
        if (holdingsOf != current) {
            holdingsOf = current;
            holdings = current.thenApply(list -> Holdings.of(read, list));
        }
        return holdings;
    }

    private void settle(CompletableFuture<List<ServiceEntry>> read, List<ServiceEntry> list, Throwable failure) {
        inFlight = false;
        if (failure != null) {
            if (index == read) {
                index = null;
            }
            read.completeExceptionally(failure);
        } else {
            read.complete(List.copyOf(list));
        }
        onSettled.run();
    }
}
