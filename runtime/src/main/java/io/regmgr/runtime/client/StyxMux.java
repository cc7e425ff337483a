package io.regmgr.runtime.client;

import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;

import io.regmgr.InvalidEntryException;
import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxFrameReader;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Tflush;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The request side of one 9P connection: gives each request a tag from a {@link RequestTable},
 * matches each reply to its request, and enforces deadlines.
 *
 * <p>A request finding no free tag waits in the table's bounded FIFO; beyond that it fails with
 * {@link LimitExceededException}. A deadline counts from submission, waiting included. When it
 * passes: a request still waiting is withdrawn; a request sent is failed with
 * {@link RegistryTimeoutException} and a {@code Tflush} goes out, its tag being reused only after
 * the {@code Rflush} (a reply crossing the flush goes to the request's {@link Pending.Settle}, which
 * undoes a late success). A request marked fatal (handshake, flush, probe) ends the connection
 * instead. Confined to the connection's context.
 */
final class StyxMux {
    /** What the multiplexer needs of its connection. */
    interface Link {
        /** Queues one encoded frame for the socket. */
        void send(byte[] frame);

        /** @return the msize in force */
        int msize();

        /** Ends the connection with {@code cause} (a fatal timeout). */
        void fail(Throwable cause);
    }

    private final Vertx vertx;
    private final String address;
    private final Duration flushTimeout;
    private final Link link;
    private final Supplier<RuntimeException> closedFailure;
    private final RequestTable requests;
    private Pending untagged;
    private boolean pumping;
    private boolean ended;

    /**
     * @param flushTimeout how long a {@code Tflush} may take before the connection is declared dead
     * @param closedFailure the failure of a request made after {@link #failAll}
     */
    StyxMux(Vertx vertx, String address, Duration flushTimeout, Link link, Supplier<RuntimeException> closedFailure,
            int maxInFlight, int maxWaiting) {
        this.vertx = vertx;
        this.address = address;
        this.flushTimeout = flushTimeout;
        this.link = link;
        this.closedFailure = closedFailure;
        this.requests = new RequestTable(maxInFlight, maxWaiting);
    }

    /**
     * @param urgent true to jump the wait queue (flushes, probes)
     * @return the caller's view of the request: the reply, or its failure
     */
    Future<StyxMessage> submit(Pending p, boolean urgent) {
        if (ended) {
            p.promise.fail(closedFailure.get());
            return p.promise.future();
        }
        armTimer(p);
        if (requests.hasFreeTag()) {
            transmit(p, requests.assign(p));
        } else if (urgent) {
            requests.offerFirst(p);
        } else if (!requests.offer(p)) {
            refuse(p, new LimitExceededException("9P requests waiting for a tag", requests.maxWaiting(),
                    requests.maxWaiting() + 1L, p.what));
        }
        return p.promise.future();
    }

    /** Sends the one request that carries {@code NOTAG} ({@code Tversion}); it must be fatal on timeout. */
    Future<StyxMessage> submitUntagged(Pending p) {
        untagged = p;
        armTimer(p);
        transmit(p, NOTAG);
        return p.promise.future();
    }

    private void armTimer(Pending p) {
        if (p.timeout != null) {
            p.timer = vertx.setTimer(Math.max(1, p.timeout.toMillis()), id -> onTimeout(p));
        }
    }

    private void transmit(Pending p, int tag) {
        p.tag = tag;
        try {
            StyxMessage m = p.build.apply(tag);
            byte[] frame = StyxCodec.encode(m);
            if (frame.length > link.msize()) {
                throw new LimitExceededException(StyxFrameReader.LIMIT, link.msize(), frame.length, p.what);
            }
            p.request = m;
            link.send(frame);
        } catch (IllegalArgumentException e) {
            requests.release(tag);
            refuse(p, new InvalidEntryException("Invalid request (" + p.what + "): " + e.getMessage()));
        } catch (RegistryException e) {
            requests.release(tag);
            refuse(p, e);
        }
    }

    private void refuse(Pending p, RuntimeException e) {
        cancelTimer(p);
        p.promise.tryFail(e);
        p.settle.settled(null, false);
    }

    /**
     * Hands a reply to its request.
     *
     * @throws ProtocolViolationException if no request holds its tag or it does not answer its request
     */
    void onReply(StyxMessage m) {
        ReplyChecks.checkIsReply(m, address);
        Pending p = m.tag() == NOTAG ? untagged : requests.get(m.tag());
        if (p == null || p.request == null || p.answered) {
            throw ReplyChecks.unknownTag(m, address);
        }
        ReplyChecks.checkAnswers(p.request, m, address);
        if (p == untagged) {
            untagged = null;
        }
        cancelTimer(p);
        p.answered = true;
        if (p.flushing) {
            // the caller already has its timeout; the tag stays reserved until the Rflush
            p.settle.settled(m, true);
            return;
        }
        requests.release(p.tag);
        p.settle.settled(m, false);
        if (m instanceof Rerror e) {
            p.promise.tryFail(new RegistryErrorException(p.what, e.ename()));
        } else {
            p.promise.tryComplete(m);
        }
    }

    private void onTimeout(Pending p) {
        p.timer = -1;
        if (ended || p.promise.future().isComplete()) {
            return;
        }
        RegistryTimeoutException e = new RegistryTimeoutException(p.what + " (" + p.describeMessage() + ")",
                p.timeout);
        if (p.fatalTimeout) {
            link.fail(e);
        } else if (p.request == null) {
            requests.withdraw(p);
            p.promise.tryFail(e);
            p.settle.settled(null, true);
        } else {
            p.flushing = true;
            p.promise.tryFail(e);
            flush(p);
        }
    }

    private void flush(Pending p) {
        int oldtag = p.tag;
        // size[4] Tflush tag[2] oldtag[2]
        submit(new Pending(tag -> new Tflush(tag, oldtag), "flush of tag " + oldtag + " (" + p.what + ")",
                flushTimeout, true, (reply, late) -> {
                    if (!p.answered) {
                        p.settle.settled(null, true);
                    }
                    requests.release(oldtag);
                }), true);
    }

    /** Sends waiting requests while tags are free; call after replies were handled. */
    void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!ended && requests.hasFreeTag()) {
                Pending next = requests.poll();
                if (next == null) {
                    break;
                }
                transmit(next, requests.assign(next));
            }
        } finally {
            pumping = false;
        }
    }

    private void cancelTimer(Pending p) {
        if (p.timer >= 0) {
            vertx.cancelTimer(p.timer);
            p.timer = -1;
        }
    }

    /** The connection ended: fails every request in flight or waiting with {@code failure}, refuses later ones. */
    void failAll(Throwable failure) {
        ended = true;
        List<Pending> all = requests.clear();
        if (untagged != null) {
            all.add(untagged);
            untagged = null;
        }
        for (Pending p : all) {
            cancelTimer(p);
            p.promise.tryFail(failure);
        }
    }

    /** @return tags held now; any thread */
    int inFlight() {
        return requests.inFlight();
    }
}
