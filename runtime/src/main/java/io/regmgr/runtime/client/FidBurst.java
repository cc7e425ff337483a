package io.regmgr.runtime.client;

import io.regmgr.RegistryErrorException;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A multi-step 9P operation sent in one burst: a {@code Twalk} binding a fresh fid, then the
 * requests on that fid ({@code Topen}, {@code Twrite}, {@code Tread}, {@code Tremove}) sent right
 * behind it without waiting for any answer. A server that applies one connection's requests in
 * the order they arrive (the registry itself, a direct connection, the embedded registry) serves
 * the operation in one round trip plus the service of each request, instead of one round trip each.
 *
 * <p>A registry reached through Inferno's {@code export} ({@code styxlisten}, {@code listen}) does
 * not promise that order: export hands each request to a pool of worker processes, and binds a
 * walk's new fid only once the walk has come back from the registry, so a request sent behind the
 * walk may be refused with {@code no such fid}, or, before the open completed, with
 * {@code open/create -- unknown mode} ({@link #OUT_OF_ORDER}). Such a refusal after a walk that
 * succeeded is not the operation's failure: the steps from the first one so refused are sent again,
 * one after the other (each after the previous answer), which costs what the operation cost before
 * bursts existed. A request so refused did nothing on the registry.
 *
 * <p>Failure handling, exact whatever order the answers arrive in (the outcome is decided once
 * every request is answered):
 * <ul>
 * <li>the walk refused: the requests behind it fail on an unknown fid; the walk's own error is
 *     reported. The fid is never clunked (a direct registry crashes on a clunk of an unknown fid);
 *     it goes back to the pool once every request naming it is answered, so no request in flight
 *     can reach a later user of the number;</li>
 * <li>a later request refused (after any resending): the first failure in the order sent is
 *     reported and, for a burst whose fid stays bound after a failure, the fid is clunked;</li>
 * <li>a walk answered after its timeout: {@link StyxFiles} clunks what it bound.</li>
 * </ul>
 * Confined to the client's context; {@link #then} and {@link #end} are called in the turn that made it.
 */
final class FidBurst {
    /**
     * A request's refusal that says only that the server had not yet bound or opened the fid when
     * it served it: Inferno's {@code export} ({@code emu/port/exportfs.c}: {@code no such fid},
     * {@code open/create -- unknown mode}) and the embedded registry's words for the same.
     */
    static final Set<String> OUT_OF_ORDER = Set.of("no such fid", "open/create -- unknown mode", "bad fid",
            "read/write -- on non open fid");

    private final StyxFiles files;
    private final int fid;
    private final String what;
    private final Future<Rwalk> walked;
    private final Promise<Void> behindAnswered = Promise.promise();
    private final List<Step<?>> steps = new ArrayList<>();

    /** One request behind the walk: how to send it, its first answer and its final outcome. */
    private static final class Step<T> {
        final Supplier<Future<T>> send;
        final Future<T> first;
        final Promise<T> outcome = Promise.promise();

        Step(Supplier<Future<T>> send) {
            this.send = send;
            this.first = send.get();
        }

        /** Completes the outcome with the first answer's. */
        void settleFirst() {
            first.onComplete(outcome);
        }

        /** @return the answer of the request sent again, which completes the outcome */
        Future<T> sendAgain() {
            Future<T> answer = send.get();
            answer.onComplete(outcome);
            return answer;
        }
    }

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

    /** @return whether the walk was refused (its fid bound nothing); known once {@link #end} has decided */
    boolean walkRefused() {
        return walked.failed();
    }

    /** @return the fid the walk binds, for the requests sent behind it */
    int fid() {
        return fid;
    }

    /**
     * Sends a request behind the walk (and behind the requests before it) now, and again if the
     * server answered it out of order.
     *
     * @param send sends the request; may be called twice
     * @return its final outcome, known once {@link #end} has decided
     */
    <T> Future<T> then(Supplier<Future<T>> send) {
        Step<T> step = new Step<>(send);
        steps.add(step);
        return step.outcome.future();
    }

    /**
     * @param clunkOnFailure whether a failure after a successful walk leaves the fid bound, to be
     *     clunked ({@code false} for a burst whose last request gives the fid back either way, a remove)
     * @return the fid once every request is answered; else the first failure in the order sent
     */
    Future<Integer> end(boolean clunkOnFailure) {
        List<Future<?>> firsts = new ArrayList<>();
        steps.forEach(s -> firsts.add(s.first));
        Future.join(firsts).onComplete(ar -> behindAnswered.tryComplete());
        return Future.join(walked, behindAnswered.future()).transform(ar -> {
            if (walked.failed()) {
                steps.forEach(Step::settleFirst);
                return Future.failedFuture(walked.cause());
            }
            int redo = 0;
            while (redo < steps.size() && !outOfOrder(steps.get(redo).first)) {
                steps.get(redo).settleFirst();
                redo++;
            }
            return resend(redo).transform(done -> outcome(clunkOnFailure));
        });
    }

    /** Sends the steps from {@code index} on again, each after the previous answer; stops at a failure. */
    private Future<Void> resend(int index) {
        if (index >= steps.size()) {
            return Future.succeededFuture();
        }
        Future<?> answer = steps.get(index).sendAgain();
        return answer.transform(ar -> {
            if (ar.failed()) {
                // the steps behind it are not sent again: they share its failure
                for (int i = index + 1; i < steps.size(); i++) {
                    steps.get(i).outcome.tryFail(ar.cause());
                }
                return Future.succeededFuture();
            }
            return resend(index + 1);
        });
    }

    private Future<Integer> outcome(boolean clunkOnFailure) {
        for (Step<?> s : steps) {
            Future<?> f = s.outcome.future();
            if (f.failed()) {
                if (clunkOnFailure) {
                    files.clunk(fid, what + " (clean-up)");
                }
                return Future.failedFuture(f.cause());
            }
        }
        return Future.succeededFuture(fid);
    }

    /** @return whether {@code answer} is a refusal that means only that it was served before the steps ahead of it */
    static boolean outOfOrder(Future<?> answer) {
        return answer.failed() && answer.cause() instanceof RegistryErrorException e
                && OUT_OF_ORDER.contains(e.registryError());
    }
}
