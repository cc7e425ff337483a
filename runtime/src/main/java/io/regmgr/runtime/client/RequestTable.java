package io.regmgr.runtime.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The tags of one 9P connection: a bounded pool of tags ({@code 0..maxInFlight-1}, never
 * {@code NOTAG}), the request holding each tag in flight, and a bounded FIFO of requests waiting
 * for a tag. A tag is reused as soon as it is released (after its reply, or after the
 * {@code Rflush} of a timed-out request). Not thread-safe: confined to the client's context; the
 * counts are volatile so tests may read them from another thread.
 */
final class RequestTable {
    private final Pending[] byTag;
    private final int[] freeTags;
    private int freeCount;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final int maxWaiting;
    private volatile int inFlight;
    private volatile int waitingCount;

    /**
     * @param maxInFlight the number of tags, at most 65535 ({@code NOTAG} is never handed out)
     * @param maxWaiting the largest number of requests waiting for a tag
     */
    RequestTable(int maxInFlight, int maxWaiting) {
        if (maxInFlight < 1 || maxInFlight > 0xFFFF) {
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " is not in 1..65535");
        }
        this.byTag = new Pending[maxInFlight];
        this.freeTags = new int[maxInFlight];
        // a stack: the lowest tags come out first, the last released is reused first
        for (int t = maxInFlight - 1; t >= 0; t--) {
            freeTags[freeCount++] = t;
        }
        this.maxWaiting = maxWaiting;
    }

    boolean hasFreeTag() {
        return freeCount > 0;
    }

    /** Gives {@code p} a free tag. */
    int assign(Pending p) {
        if (freeCount == 0) {
            throw new IllegalStateException("no free 9P tag");
        }
        int tag = freeTags[--freeCount];
        byTag[tag] = p;
        inFlight++;
        return tag;
    }

    /** @return the request holding {@code tag}, or null when no request in flight holds it */
    Pending get(int tag) {
        return tag >= 0 && tag < byTag.length ? byTag[tag] : null;
    }

    /** Gives {@code tag} back to the pool; nothing if it is not held. */
    void release(int tag) {
        if (get(tag) != null) {
            byTag[tag] = null;
            freeTags[freeCount++] = tag;
            inFlight--;
        }
    }

    /** @return false (and nothing queued) when {@code maxWaiting} requests already wait */
    boolean offer(Pending p) {
        if (waiting.size() >= maxWaiting) {
            return false;
        }
        waiting.addLast(p);
        waitingCount = waiting.size();
        return true;
    }

    /** Queues {@code p} ahead of every other, beyond the bound: flushes and probes must not wait. */
    void offerFirst(Pending p) {
        waiting.addFirst(p);
        waitingCount = waiting.size();
    }

    /** @return the next request waiting for a tag, or null */
    Pending poll() {
        Pending p = waiting.pollFirst();
        waitingCount = waiting.size();
        return p;
    }

    /** Removes a waiting request (it timed out before getting a tag). */
    boolean withdraw(Pending p) {
        boolean removed = waiting.remove(p);
        waitingCount = waiting.size();
        return removed;
    }

    /** @return every request in flight or waiting, and empties the table */
    List<Pending> clear() {
        List<Pending> all = new ArrayList<>(inFlight + waiting.size());
        for (int t = 0; t < byTag.length; t++) {
            if (byTag[t] != null) {
                all.add(byTag[t]);
                release(t);
            }
        }
        all.addAll(waiting);
        waiting.clear();
        waitingCount = 0;
        return all;
    }

    /** @return tags held now */
    int inFlight() {
        return inFlight;
    }

    /** @return requests waiting for a tag now */
    int waiting() {
        return waitingCount;
    }

    /** @return the largest number of requests that may wait for a tag */
    int maxWaiting() {
        return maxWaiting;
    }
}
