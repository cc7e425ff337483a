package io.regmgr.runtime.client;

import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-step 9P operation sent in one burst: a {@code Twalk} binding a fresh fid, then the
 * requests on that fid ({@code Topen}, {@code Twrite}, {@code Tread}, {@code Tremove}) sent right
 * behind it without waiting for any answer. The registry serves one connection's requests in the
 * order they arrive, so each finds the fid as the ones before left it; the operation costs one
 * round trip plus the registry's service time of each request, instead of one round trip each.
 *
 * <p>Failure handling, exact whatever order the callbacks of the answers run in (the outcome is
 * decided once every request is answered):
 * <ul>
 * <li>the walk refused: the requests behind it fail on an unknown fid ({@code no such fid},
 *     {@code bad fid}); the walk's own error is reported. The fid is never clunked (a direct
 *     registry crashes on a clunk of an unknown fid); it goes back to the pool once every request
 *     naming it is answered, so no request in flight can reach a later user of the number;</li>
 * <li>a later request refused: the first failure in the order sent is reported and, for a burst
 *     whose fid stays bound after a failure, the fid is clunked;</li>
 * <li>a walk answered after its timeout: {@link StyxFiles} clunks what it bound.</li>
 * </ul>
 * Confined to the client's context; {@link #then} and {@link #end} are called in the turn that made it.
 */
final class FidBurst {
    private final StyxFiles files;
    private final int fid;
    private final String what;
    private final Future<Rwalk> walked;
    private final Promise<Void> behindAnswered = Promise.promise();
    private final List<Future<?>> behind = new ArrayList<>();

    /**
     * Sends the walk from {@code from} to its child {@code name}, binding a fresh fid.
     *
     * @param what the operation, for errors
     */
    FidBurst(StyxFiles files, int from, String name, String what) {
        this.files = files;
        this.what = what;
        this.fid = files.client().fids().allocate();
        this.walked = files.sendWalk(from, fid, name, what, behindAnswered.future());
    }

    /** @return the fid the walk binds, for the requests sent behind it */
    int fid() {
        return fid;
    }

    /** @return whether the walk bound the fid (answered {@code Rwalk} in time) */
    boolean bound() {
        return walked.succeeded();
    }

    /**
     * Counts a request sent behind the walk (in the order of the calls).
     *
     * @return {@code request}
     */
    <T> Future<T> then(Future<T> request) {
        behind.add(request);
        return request;
    }

    /**
     * @param clunkOnFailure whether a failure after a successful walk leaves the fid bound, to be
     *     clunked ({@code false} for a burst whose last request gives the fid back either way, a remove)
     * @return the fid once every request is answered; else the first failure in the order sent
     */
    Future<Integer> end(boolean clunkOnFailure) {
        Future<Void> all = Future.join(new ArrayList<>(behind)).transform(ar -> Future.succeededFuture());
        all.onComplete(behindAnswered);
        return Future.join(walked, all).transform(ar -> {
            if (walked.failed()) {
                return Future.failedFuture(walked.cause());
            }
            for (Future<?> f : behind) {
                if (f.failed()) {
                    if (clunkOnFailure) {
                        files.clunk(fid, what + " (clean-up)");
                    }
                    return Future.failedFuture(f.cause());
                }
            }
            return Future.succeededFuture(fid);
        });
    }
}
