package io.regmgr.runtime.client;

import io.regmgr.LimitExceededException;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * one fid run one after the other (a read at offset 0 restarts its snapshot).
 *
 * <p>A server that does not keep one connection's order (Inferno's {@code export}) may serve the
 * burst's first read before its filter write: that answer is the registry's whole index, which the
 * caller filters itself (the filtered answer of the same snapshot). So that such a snapshot is never
 * read beyond its first read, nor held against the caller's limit, the first read of a filter's
 * fid is not continued when it comes back full or longer than the caller accepts: the fid is read
 * once more from offset 0, after the burst has ended (the filter write answered, so in place), at
 * the cost of one read; only that filtered answer's size is the caller's failure.
 *
 * <p>At most {@value #MAX_KEPT} fids are kept: a new filter beyond that takes the place of the one
 * read least recently, whose fid is clunked once its reads in flight are answered. So a session
 * holds a bounded number of fids however many distinct filters it reads (one-shot lookups
 * included), and the filters read at every change (the monitors') stay open. A kept fid whose
 * opening or read failed is clunked and forgotten, so the next read opens afresh; when the filter's
 * write fails, the read sent behind it is discarded. Confined to the client's context; the fids die
 * with the connection.
 */
final class KeptReads {
    /** Distinct reads kept open at most (fids per connection are bounded by the registry too). */
    static final int MAX_KEPT = 1024;

    private final StyxFiles files;
    private final int ioUnit;
    /** In access order: the least recently read first, the next to give its place. */
    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);

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
            return openAndRead(key, file, filterBytes, maxBytes, what);
        }
        Kept keep = k;
        Future<byte[]> result = keep.tail.transform(ignored -> keep.opened)
                .compose(o -> files.readAll(o.fid(), o.count(), maxBytes, what))
                .onFailure(e -> forget(key, keep, what));
        keep.tail = result;
        return result;
    }

    /** Opens a kept fid for {@code key}, giving it the place of the least recently read one beyond {@link #MAX_KEPT}. */
    private Future<byte[]> openAndRead(String key, String file, byte[] filterBytes, int maxBytes, String what) {
        if (kept.size() >= MAX_KEPT) {
            evictLeastRecent(what);
        }
        Kept k = new Kept();
        Made made = open(file, filterBytes, what);
        k.opened = made.opened();
        kept.put(key, k);
        // the first result was asked by the burst that opened the fid; the burst has ended when it is
        // collected, so a read again from offset 0 comes after the filter write
        Future<byte[]> first = k.opened.compose(o -> firstResult(o, made.first(), filterBytes != null, maxBytes, what))
                .onFailure(e -> forget(key, k, what));
        k.tail = first;
        return first;
    }

    /**
     * The result of a new fid's first read, which may have been served before the filter write (an
     * unfiltered snapshot): full, it is not continued (an unfiltered snapshot may take many reads)
     * but read again from offset 0, one read more at most; over {@code maxBytes}, read again once.
     */
    private Future<byte[]> firstResult(Opened o, Future<byte[]> first, boolean filtered, int maxBytes, String what) {
        if (!filtered) {
            return files.readRest(o.fid(), first, o.count(), maxBytes, what);
        }
        return first.compose(data -> data.length >= o.count() ? files.readAll(o.fid(), o.count(), maxBytes, what)
                : files.readRest(o.fid(), first, o.count(), maxBytes, what)
                        .recover(e -> overLimit(e) ? files.readAll(o.fid(), o.count(), maxBytes, what)
                                : Future.failedFuture(e)));
    }

    /** @return whether {@code e} is an answer longer than the caller accepts */
    private static boolean overLimit(Throwable e) {
        return e instanceof LimitExceededException l && StyxFiles.ANSWER_SIZE.equals(l.limit());
    }

    /** Drops the least recently read fid; it is clunked once its reads in flight are answered. */
    private void evictLeastRecent(String what) {
        Iterator<Kept> eldest = kept.values().iterator();
        Kept k = eldest.next();
        eldest.remove();
        k.tail.onComplete(ar -> k.opened.onSuccess(o -> files.clunk(o.fid(), what
                + " (clean-up: a kept fid read least recently, beyond " + MAX_KEPT + ")")));
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
        if (kept.remove(key, k)) {
            k.opened.onSuccess(o -> files.clunk(o.fid(), what + " (a kept fid dropped after a failure)"));
        }
    }
}
