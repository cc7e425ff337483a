package io.regmgr.runtime.client;

import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

import static io.regmgr.runtime.protocol.StyxMessage.OREAD;
import static io.regmgr.runtime.protocol.StyxMessage.ORDWR;

/**
 * Fids kept open for the session's reads of {@code index} and {@code find}: one for the index and
 * one per distinct filter (walked, opened and the filter written once, on first use). A read is
 * then one {@code Tread} at offset 0 (the registry computes the result when it arrives), continued
 * at the next offsets only while a read comes back full: a short read is the end of the result,
 * since the registry answers a read of its text files with everything left up to the count asked.
 * Reads of one fid run one after the other (a read at offset 0 restarts its snapshot). At most
 * {@value #MAX_KEPT} fids are kept; further filters are read on a fid of their own, clunked after.
 * A kept fid whose opening or read failed is clunked and forgotten, so the next read opens afresh.
 * Confined to the client's context; the fids die with the connection.
 */
final class KeptReads {
    /** Distinct reads kept open at most (fids per connection are bounded by the registry too). */
    static final int MAX_KEPT = 1024;

    private final StyxFiles files;
    private final Map<String, Kept> kept = new HashMap<>();

    /** One kept fid: opened once, its reads chained. */
    private static final class Kept {
        Future<int[]> opened;
        Future<?> tail = Future.succeededFuture();
    }

    KeptReads(StyxFiles files) {
        this.files = files;
    }

    /**
     * @param file {@code index} or {@code find}
     * @param filterBytes the filter to write once on the fid, or null for none
     * @param maxBytes the largest answer accepted
     * @param what the operation, for errors
     * @return the whole result of one read from offset 0
     */
    Future<byte[]> read(String file, byte[] filterBytes, int maxBytes, String what) {
        String key = filterBytes == null ? file : file + "\n" + new String(filterBytes, java.nio.charset.StandardCharsets.UTF_8);
        Kept k = kept.get(key);
        if (k == null) {
            if (kept.size() >= MAX_KEPT) {
                return readOnce(file, filterBytes, maxBytes, what);
            }
            k = new Kept();
            k.opened = open(file, filterBytes, what);
            kept.put(key, k);
        }
        Kept keep = k;
        Future<byte[]> result = keep.tail.transform(ignored -> keep.opened)
                .compose(fidAndCount -> files.readAll(fidAndCount[0], fidAndCount[1], maxBytes, what))
                .onFailure(e -> forget(key, keep, what));
        keep.tail = result;
        return result;
    }

    /** A read on a fid of its own: walk, open, write the filter, read, clunk. */
    private Future<byte[]> readOnce(String file, byte[] filterBytes, int maxBytes, String what) {
        Future<int[]> opened = open(file, filterBytes, what);
        return opened.compose(fc -> files.readAll(fc[0], fc[1], maxBytes, what)
                .onComplete(ar -> files.clunk(fc[0], what + " (clean-up)")));
    }

    /** @return the fid and the count to ask of each read */
    private Future<int[]> open(String file, byte[] filterBytes, String what) {
        return files.walk(StyxClient.ROOT_FID, file, what).compose(fid -> files
                .open(fid, filterBytes == null ? OREAD : ORDWR, what)
                .compose(opened -> {
                    int count = files.ioLimit(opened.iounit());
                    Future<Void> written = filterBytes == null ? Future.succeededFuture()
                            : files.write(fid, WireChecks.checkFits(filterBytes, count, what), what);
                    return written.map(w -> new int[] {fid, count});
                })
                .onFailure(e -> files.clunk(fid, what + " (clean-up)")));
    }

    private void forget(String key, Kept k, String what) {
        if (kept.get(key) == k) {
            kept.remove(key);
            k.opened.onSuccess(fc -> files.clunk(fc[0], what + " (a kept fid dropped after a failure)"));
        }
    }
}
