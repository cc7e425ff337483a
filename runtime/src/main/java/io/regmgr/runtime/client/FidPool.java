package io.regmgr.runtime.client;

import java.util.BitSet;

/**
 * The fids of one 9P connection: the lowest free number is handed out first, and a fid comes back
 * only once the server no longer knows it (after {@code Rclunk}/{@code Rremove}, an error answering
 * a clunk or remove, or a walk that failed to bind it). Not thread-safe: confined to the client's
 * context; the count is volatile so tests may read it from another thread.
 */
final class FidPool {
    private final BitSet used = new BitSet();
    private volatile int allocated;

    /** @return a fid the server does not know */
    int allocate() {
        int fid = used.nextClearBit(0);
        if (fid < 0 || fid == Integer.MAX_VALUE) {
            throw new IllegalStateException("fid space exhausted");
        }
        used.set(fid);
        allocated++;
        return fid;
    }

    /** Returns {@code fid} to the pool; nothing if it is not allocated. */
    void release(int fid) {
        if (fid >= 0 && used.get(fid)) {
            used.clear(fid);
            allocated--;
        }
    }

    /** @return fids allocated now */
    int allocated() {
        return allocated;
    }
}
