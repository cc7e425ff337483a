package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One read of a {@link RefreshCycle}: the index, a filter's find (a cover included), or a find
 * answered from another read of the cycle ({@link #from}: the index or a cover, filtered here). Its
 * answer, and its number once sent (or the number of the read it comes from). Confined to the
 * manager's context.
 */
final class CycleRead {
    /** The filter, or null for the index. */
    final Filter filter;
    final CompletableFuture<List<ServiceEntry>> services = new CompletableFuture<>();
    /** The read this one is answered from, or null if it is sent itself. */
    CycleRead from;
    long number;
    CompletionStage<Holdings> holdings;
    /** The finds answered from this read once it completes, all in one pass. */
    List<CycleRead> derived;

    /** @param filter the filter, or null for the index */
    CycleRead(Filter filter) {
        this.filter = filter;
    }

    /** @return the number of the read sent for this one, or 0 while it is not sent */
    long number() {
        return from != null ? from.number() : number;
    }

    /**
     * @param sentAfter the number of the last read sent before the asker started
     * @return whether this read was sent before that, so may miss what the asker must see
     */
    boolean sentBefore(long sentAfter) {
        long n = number();
        return n != 0 && n <= sentAfter;
    }

    /**
     * @param sentAfter as for {@link #sentBefore}
     * @return whether an asker may be answered from this read: recent enough and not failed
     */
    boolean usable(long sentAfter) {
        return !sentBefore(sentAfter) && !services.isCompletedExceptionally();
    }
}
