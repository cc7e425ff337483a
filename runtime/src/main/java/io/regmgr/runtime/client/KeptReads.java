package io.regmgr.runtime.client;

import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static io.regmgr.runtime.protocol.StyxMessage.OREAD;
import static io.regmgr.runtime.protocol.StyxMessage.ORDWR;

/**
 * Fids kept open for the session's reads of {@code index} and {@code find}: one for the index and
 * one per distinct filter. A kept fid is made in one burst ({@link FidBurst}): the {@code Twalk},
 * its {@code Topen}, the filter's {@code Twrite} and the first {@code Tread} at offset 0 go out
 * together, so its first result costs one round trip, as every later one does. A read is one
 * {@code Tread} at offset 0 (the registry computes the result when it arrives), continued at the
 * next offsets only while a read comes back full: a short read is the end of the result, since the
 * registry answers a read of its text files with everything left up to the count asked. Reads of
 * one fid run one after the other (a read at offset 0 restarts its snapshot). At most
 * {@value #MAX_KEPT} fids are kept; further filters are read on a fid of their own (the same burst),
 * clunked after. A kept fid whose opening or read failed is clunked and forgotten, so the next read
 * opens afresh; when the filter's write fails, the read sent behind it (of an unfiltered find) is
 * discarded. Confined to the client's context; the fids die with the connection.
 */
final class KeptReads {
    /** Distinct reads kept open at most (fids per connection are bounded by the registry too). */
    static final int MAX_KEPT = 1024;

    private final StyxFiles files;
    private final int ioUnit;
    private final Map<String, Kept> kept = new HashMap<>();

    /** One kept fid: opened once, its reads chained. */
    private static final class Kept {
        Future<Opened> opened;
        Future<?> tail = Future.succeededFuture();
    }

    /** A fid made by a burst: its number and the count of a full read on it. */
    private record Opened(int fid, int count) {
    }

    /** A burst under way: the fid once made, and the answer of the first read sent behind its open. */
    private record Made(Future<Opened> opened, Future<byte[]> first) {
    }

    /**
     * @param ioUnit the session's largest read or write in one message: the count of the first read of
     *     a fid, asked before its {@code Ropen} tells its own
     */
    KeptReads(StyxFiles files, int ioUnit) {
        this.files = files;
        this.ioUnit = ioUnit;
    }

    /**
     * @param file {@code index} or {@code find}
     * @param filterBytes the filter to write once on the fid, or null for none; at most the session's iounit
     * @param maxBytes the largest answer accepted
     * @param what the operation, for errors
     * @return the whole result of one read from offset 0
     */
    Future<byte[]> read(String file, byte[] filterBytes, int maxBytes, String what) {
        String key = filterBytes == null ? file : file + "\n" + new String(filterBytes, StandardCharsets.UTF_8);
        Kept k = kept.get(key);
        if (k == null) {
            if (kept.size() >= MAX_KEPT) {
                return readOnce(file, filterBytes, maxBytes, what);
            }
            k = new Kept();
            Made made = open(file, filterBytes, what);
            k.opened = made.opened();
            kept.put(key, k);
            // the first result was asked by the burst that opened the fid
            Kept keep = k;
            Future<byte[]> first = k.opened.compose(o -> files.readRest(o.fid(), made.first(), o.count(), maxBytes, what))
                    .onFailure(e -> forget(key, keep, what));
            k.tail = first;
            return first;
        }
        Kept keep = k;
        Future<byte[]> result = keep.tail.transform(ignored -> keep.opened)
                .compose(o -> files.readAll(o.fid(), o.count(), maxBytes, what))
                .onFailure(e -> forget(key, keep, what));
        keep.tail = result;
        return result;
    }

    /** A read on a fid of its own: walk, open, write the filter and the first read in one burst, then clunk. */
    private Future<byte[]> readOnce(String file, byte[] filterBytes, int maxBytes, String what) {
        Made made = open(file, filterBytes, what);
        return made.opened().compose(o -> files.readRest(o.fid(), made.first(), o.count(), maxBytes, what)
                .onComplete(ar -> files.clunk(o.fid(), what + " (clean-up)")));
    }

    /** @return the fid, once walked, opened, its filter written and its first read answered; that read's answer */
    private Made open(String file, byte[] filterBytes, String what) {
        FidBurst burst = files.burst(StyxClient.ROOT_FID, file, what);
        int fid = burst.fid();
        Future<Ropen> opened = burst.then(() -> files.open(fid, filterBytes == null ? OREAD : ORDWR, what));
        if (filterBytes != null) {
            burst.then(() -> files.write(fid, filterBytes, what));
        }
        Future<byte[]> first = burst.then(() -> files.read(fid, 0, ioUnit, what));
        // a read as long as the fid's own iounit allows is full: the rest follows at the next offset
        return new Made(burst.end(true).map(f -> new Opened(f, Math.min(ioUnit, files.ioLimit(opened.result().iounit())))),
                first);
    }

    private void forget(String key, Kept k, String what) {
        if (kept.get(key) == k) {
            kept.remove(key);
            k.opened.onSuccess(o -> files.clunk(o.fid(), what + " (a kept fid dropped after a failure)"));
        }
    }
}
