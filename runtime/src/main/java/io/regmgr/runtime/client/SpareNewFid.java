package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.StyxClient.ROOT_FID;
import static io.regmgr.runtime.protocol.StyxMessage.ORDWR;

import io.regmgr.LimitExceededException;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.vertx.core.Future;

import java.lang.System.Logger.Level;

/**
 * One fid of a session walked to {@code new} and opened {@code ORDWR} ahead of time, so that a
 * registration costs a single {@code Twrite} of its line: one request and one round trip on every
 * registry, behind Inferno's {@code export} too (where a burst's open and write, sent behind the
 * walk, are refused and sent again one per round trip, see {@link FidBurst}).
 *
 * <p>Opening {@code new} gives a fresh anonymous service that the registry lists nowhere, and
 * neither the open nor the clunk of an unnamed fid is a change (registry(4), observed): the spare
 * is invisible to every client until the first write names it. The {@code Ropen} of {@code new}
 * carries the iounit the registration's writes are sized by, so it is kept with the fid.
 *
 * <p>Lifecycle: none is opened until a registration of the session ({@link #name}) has
 * succeeded, so a session that only reads (or whose registrations are all refused) holds no anonymous slot, and a restore opens none before
 * its registrations; each {@link #name} takes the ready spare and opens a replacement once
 * answered. At most one replacement is in flight; a registration meanwhile sends the burst rather
 * than wait for it. A walk or open refused leaves no spare (the walk's fid is never clunked: see
 * {@link FidBurst}) until the next registration is answered. {@link #lost()}: the connection took the fid with it, nothing is sent;
 * {@link #close()} clunks it. Confined to the client's context.
 */
final class SpareNewFid {
    private static final System.Logger LOG = System.getLogger(SpareNewFid.class.getName());

    /** A fid opened on {@code new}, unnamed, and the {@code Ropen} that opened it. */
    record Spare(int fid, Ropen opened) {
    }

    private final StyxFiles files;
    private final boolean enabled;
    private Spare ready;
    /** The replacement in flight, or null. */
    private Future<Integer> opening;
    private boolean ended;
    /** Whether a registration of this session succeeded: until then no spare is opened. */
    private boolean registered;

    /**
     * @param enabled false: no spare is ever opened, every {@link #name} sends the burst
     */
    SpareNewFid(StyxFiles files, boolean enabled) {
        this.files = files;
        this.enabled = enabled;
    }

    /** @return the spare, now the caller's (to name with one write, or to clunk); null if none is ready */
    private Spare take() {
        Spare s = ready;
        ready = null;
        return s;
    }

    /**
     * Names a fid on {@code new} with {@code line}: with a spare ready, the {@code Twrite} of the
     * line on it alone, one request; else the {@code Twalk} to {@code new}, its {@code Topen} and
     * the {@code Twrite} sent together ({@link FidBurst}); a burst whose walk was refused while a
     * replacement spare was being opened (it may have taken the connection's last fid) names that
     * spare instead. Once answered, if this or an earlier registration of the session succeeded, a
     * replacement spare is opened ({@link #replenish()}), off the caller's critical path.
     * Refused by the registry: the walk's error (its fid is not clunked), else the open's or the
     * write's (the fid is clunked: an unnamed one registers nothing, and a spare refused is never
     * written again); a write applied partially (an {@code Ropen} of {@code new} with an iounit
     * below the line, a short {@code Rwrite}) leaves a service with cut attributes, so it is
     * clunked too and the failure names that iounit.
     *
     * @param line the registration's line, within the session's iounit
     * @return the fid, named, with the {@code Ropen} that opened it
     */
    Future<Spare> name(byte[] line, String what) {
        Spare s = take();
        Future<Spare> named = s != null ? onSpare(s, line, what) : inBurst(line, what);
        return named.onComplete(ar -> {
            registered |= ar.succeeded();
            if (registered) {
                replenish();
            }
        });
    }

    private Future<Spare> onSpare(Spare s, byte[] line, String what) {
        return files.write(s.fid(), line, what).<Spare>map(v -> s).recover(e -> {
            if (files.client().isOpen()) {
                files.clunk(s.fid(), what + " (clean-up)");
            }
            return Future.failedFuture(cutWrite(e, s.opened(), line.length, what));
        });
    }

    private Future<Spare> inBurst(byte[] line, String what) {
        FidBurst burst = files.burst(ROOT_FID, "new", what);
        Future<Ropen> opened = burst.then(() -> files.open(burst.fid(), ORDWR, what));
        burst.then(() -> files.write(burst.fid(), line, what));
        // decided once every answer is in: a server may answer in any order
        return burst.end(true).map(fid -> new Spare(fid, opened.result())).recover(e -> {
            if (burst.walkRefused() && opening != null) {
                // The replacement's walk may have taken the last fid the registry allows this
                // connection: name the replacement instead, once it is open, rather than fail a
                // registration that would have succeeded without a spare.
                return opening.transform(ar -> ready != null ? onSpare(take(), line, what) : Future.failedFuture(e));
            }
            if (burst.walkRefused() && ready != null) {
                return onSpare(take(), line, what);
            }
            return Future.failedFuture(cutWrite(e, opened.succeeded() ? opened.result() : null, line.length, what));
        });
    }

    /** @return {@code e}, or for a write applied partially, the failure naming the iounit of {@code opened} */
    private Throwable cutWrite(Throwable e, Ropen opened, int length, String what) {
        if (!(e instanceof LimitExceededException l && StyxFiles.SHORT_WRITE.equals(l.limit()) && opened != null)) {
            return e;
        }
        long iounit = Integer.toUnsignedLong(opened.iounit());
        return new LimitExceededException("write size", files.ioLimit(opened.iounit()), length, what
                + ": the registry opened new with iounit " + iounit + " and applied " + l.maximum() + " of the "
                + length + " bytes of the line (a service with cut attributes, unregistered again)");
    }

    /** @return whether a spare is ready to be taken */
    boolean isReady() {
        return ready != null;
    }

    /** Opens a spare (walk and open sent together) unless one is ready or in flight, or the session ended. */
    private void replenish() {
        StyxClient client = files.client();
        if (!enabled || ended || ready != null || opening != null || !client.isOpen()) {
            return;
        }
        String what = "open a spare fid on new of " + client.address();
        FidBurst burst = files.burst(ROOT_FID, "new", what);
        Future<Ropen> opened = burst.then(() -> files.open(burst.fid(), ORDWR, what));
        opening = burst.end(true).onComplete(ar -> {
            opening = null;
            if (ar.failed()) {
                // FidBurst clunked a fid the walk bound; a walk refused bound nothing
                LOG.log(Level.DEBUG, () -> what + " failed (retried at the next registration): " + ar.cause());
            } else if (!ended) {
                ready = new Spare(ar.result(), opened.result());
            }
            // else the session ended or is closing: the connection's end takes the fid
        });
    }

    /** The connection ended: the registry dropped the fid with it; nothing is sent. */
    void lost() {
        ended = true;
        ready = null;
    }

    /**
     * Sends the clunk of the spare (an unnamed fid: no change on the registry), not waiting for its
     * answer: the connection is about to close, and a registry that no longer answers must not hold
     * the close for a request timeout. A replacement in flight is left to the connection's end,
     * which clunks every fid on the registry.
     */
    void close() {
        ended = true;
        Spare s = take();
        if (s != null && files.client().isOpen()) {
            files.clunk(s.fid(), "clunk the spare fid on new of " + files.client().address());
        }
    }
}
