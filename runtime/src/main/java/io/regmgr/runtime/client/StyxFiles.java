package io.regmgr.runtime.client;

import io.regmgr.LimitExceededException;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rremove;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.runtime.protocol.Stat;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * File operations over a {@link StyxClient}, each one 9P request, with the fid bookkeeping: a walk
 * takes a fresh fid and gives it back if the walk binds nothing (or clunks it if the walk succeeds
 * after its caller timed out); a clunk or remove gives the fid back once the server answered it
 * (an error included: the fid is gone either way). A clunk flushed before the server saw it leaves
 * the fid bound there: it is never reused on this connection. Confined to the client's context.
 */
final class StyxFiles {
    private static final System.Logger LOG = System.getLogger(StyxFiles.class.getName());

    /** The limit named by the failure of a write the registry applied partially. */
    static final String SHORT_WRITE = "write size applied";
    /** The limit named by the failure of a read whose answer is longer than the caller accepts. */
    static final String ANSWER_SIZE = "answer size";

    private final StyxClient client;

    StyxFiles(StyxClient client) {
        this.client = client;
    }

    /** @return the client these operations go through */
    StyxClient client() {
        return client;
    }

    /** @return the largest read or write that travels in one message: min(iounit if set, msize - IOHDRSZ) */
    int ioLimit(int iounit) {
        int max = client.msize() - StyxCodec.IOHDRSZ;
        long unit = Integer.toUnsignedLong(iounit);
        return unit == 0 || unit > max ? max : (int) unit;
    }

    /**
     * Starts a burst: the walk from {@code from} to its child {@code name}, binding a fresh fid,
     * with the requests on that fid to be sent behind it (see {@link FidBurst}).
     *
     * @return the burst, its walk sent
     */
    FidBurst burst(int from, String name, String what) {
        return new FidBurst(this, from, name, what);
    }

    /**
     * @return completes once both have: fails with the first's failure, else the second's, else succeeds
     */
    static Future<Void> firstFailure(Future<?> first, Future<?> second) {
        return Future.join(first, second).transform(ar -> first.failed() ? Future.failedFuture(first.cause())
                : second.failed() ? Future.failedFuture(second.cause()) : Future.succeededFuture());
    }

    /**
     * Sends a walk binding {@code fid}, which it gives back if the walk binds nothing (once
     * {@code fidFree} completes), or clunks if the walk succeeds after its caller timed out.
     *
     * @param fidFree completes when no request in flight names {@code fid} but the walk
     */
    Future<Rwalk> sendWalk(int from, int fid, String name, String what, Future<?> fidFree) {
        // size[4] Twalk tag[2] fid[4] newfid[4] nwname[2] nwname*(wname[s])
        return client.call(Rwalk.class, what, tag -> new Twalk(tag, from, fid, List.of(name)), (reply, late) -> {
            if (!(reply instanceof Rwalk)) {
                fidFree.onComplete(v -> client.fids().release(fid));
            } else if (late) {
                clunk(fid, what + " (undoing a walk answered after its timeout)");
            }
        });
    }

    /** @return the {@code Ropen}, carrying the iounit */
    Future<Ropen> open(int fid, int mode, String what) {
        // size[4] Topen tag[2] fid[4] mode[1]
        return client.call(Ropen.class, what, tag -> new Topen(tag, fid, mode), Pending.Settle.NONE);
    }

    /**
     * Writes {@code data} at offset 0 in one message (the registry ignores write offsets).
     *
     * @return succeeds when the registry applied it whole; an {@code Rwrite} counting fewer bytes (a
     *     write cut to a smaller iounit, applied partially) fails with {@link LimitExceededException}
     *     (limit {@value #SHORT_WRITE}, maximum the bytes applied)
     */
    Future<Void> write(int fid, byte[] data, String what) {
        // size[4] Twrite tag[2] fid[4] offset[8] count[4] data[count]
        return client.call(Rwrite.class, what, tag -> new Twrite(tag, fid, 0, data), Pending.Settle.NONE)
                .compose(w -> Integer.toUnsignedLong(w.count()) == data.length ? Future.succeededFuture()
                        : Future.failedFuture(new LimitExceededException(SHORT_WRITE, Integer.toUnsignedLong(w.count()),
                                data.length, what + ": the registry's Rwrite counts " + Integer.toUnsignedLong(w.count())
                                + " of " + data.length + " bytes (a write applied partially)")));
    }

    /** @return the bytes read at {@code offset}; empty at the end */
    Future<byte[]> read(int fid, long offset, int count, String what) {
        // size[4] Tread tag[2] fid[4] offset[8] count[4]
        return client.call(Rread.class, what, tag -> new Tread(tag, fid, offset, count), Pending.Settle.NONE)
                .map(Rread::data);
    }

    /**
     * Reads a registry text file's result from offset 0: one read, continued at the next offsets
     * only while a read comes back full (the registry answers everything left up to the count
     * asked, so a short read, an empty one included, is the end).
     *
     * @return the whole content; fails with {@link LimitExceededException} (limit {@value #ANSWER_SIZE})
     *     beyond {@code maxBytes}
     */
    Future<byte[]> readAll(int fid, int count, int maxBytes, String what) {
        return readRest(fid, read(fid, 0, count, what), count, maxBytes, what);
    }

    /**
     * As {@link #readAll}, its first read (at offset 0, asking at least {@code count}) already sent.
     *
     * @param first the answer of the first read
     * @param count a full read: a read this long or longer is continued at the next offset
     */
    Future<byte[]> readRest(int fid, Future<byte[]> first, int count, int maxBytes, String what) {
        Promise<byte[]> done = Promise.promise();
        collect(fid, first, 0, count, maxBytes, new ByteArrayOutputStream(), what, done);
        return done.future();
    }

    private void collect(int fid, Future<byte[]> chunk, long offset, int count, int maxBytes,
            ByteArrayOutputStream into, String what, Promise<byte[]> done) {
        chunk.onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            byte[] data = ar.result();
            if ((long) into.size() + data.length > maxBytes) {
                done.fail(new LimitExceededException(ANSWER_SIZE, maxBytes, (long) into.size() + data.length, what));
                return;
            }
            into.write(data, 0, data.length);
            if (data.length < count) {
                done.complete(into.toByteArray());
            } else {
                long next = offset + data.length;
                collect(fid, read(fid, next, count, what), next, count, maxBytes, into, what, done);
            }
        });
    }

    /** @return the file's directory entry */
    Future<Stat> stat(int fid, String what) {
        // size[4] Tstat tag[2] fid[4]
        return client.call(Rstat.class, what, tag -> new Tstat(tag, fid), Pending.Settle.NONE).map(Rstat::stat);
    }

    /** Clunks {@code fid}; it is reclaimed once the server answered. */
    Future<Void> clunk(int fid, String what) {
        // size[4] Tclunk tag[2] fid[4]
        return client.call(Rclunk.class, what, tag -> new Tclunk(tag, fid), (reply, late) -> forget(fid, reply, what))
                .mapEmpty();
    }

    /**
     * Removes the file of {@code burst}'s fid, sent behind its walk; the server clunks the fid
     * whether the removal succeeds or not, so it is given back here once answered, unless the
     * server had not bound it when it served the remove (the walk refused, or served after it: a
     * refusal in {@link FidBurst#OUT_OF_ORDER}; then the walk gives it back, or the remove is sent again).
     */
    Future<Void> remove(FidBurst burst, String what) {
        int fid = burst.fid();
        return burst.then(() -> client.call(Rremove.class, what, tag -> new Tremove(tag, fid), (reply, late) -> {
            if (!(reply instanceof Rerror e && FidBurst.OUT_OF_ORDER.contains(e.ename()))) {
                forget(fid, reply, what);
            }
        }).mapEmpty());
    }

    private void forget(int fid, StyxMessage reply, String what) {
        if (reply != null) {
            client.fids().release(fid);
        } else if (client.isOpen()) {
            LOG.log(Level.WARNING, () -> "9P " + client.address() + ": fid " + fid + " stays bound: its clunk was"
                    + " flushed unanswered (" + what + "); it will not be reused on this connection");
        }
    }
}
