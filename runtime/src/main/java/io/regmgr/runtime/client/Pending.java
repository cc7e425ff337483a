package io.regmgr.runtime.client;

import io.regmgr.runtime.protocol.StyxMessage;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.function.IntFunction;

/**
 * One request of a {@link StyxClient}: built when a tag is assigned to it, answered at most once.
 * Confined to the client's context.
 */
final class Pending {
    /** Builds the T-message once its tag is known. */
    final IntFunction<StyxMessage> build;
    /** What the request does, for error messages, e.g. {@code register svc}. */
    final String what;
    /** How long the caller waits; null for no limit (the event read). */
    final Duration timeout;
    /** Whether a timeout ends the connection (handshake, flush, probe) instead of flushing the tag. */
    final boolean fatalTimeout;
    /** Runs once when the tag is given back, whatever the caller was told: reclaims fids. */
    final Settle settle;
    /** The caller's result. */
    final Promise<StyxMessage> promise = Promise.promise();

    /** The T-message, once sent. */
    StyxMessage request;
    /** The tag, once assigned; -1 while waiting for one. */
    int tag = -1;
    /** The Vert.x timer of the timeout, or -1. */
    long timer = -1;
    /** The caller was failed by a timeout: the tag stays reserved until the Tflush is answered. */
    boolean flushing;
    /** A reply arrived (possibly after the caller gave up). */
    boolean answered;

    Pending(IntFunction<StyxMessage> build, String what, Duration timeout, boolean fatalTimeout, Settle settle) {
        this.build = build;
        this.what = what;
        this.timeout = timeout;
        this.fatalTimeout = fatalTimeout;
        this.settle = settle;
    }

    /** @return e.g. {@code Twalk tag 3}, or just the intent before the request was built */
    String describeMessage() {
        return request == null ? "not sent" : request.getClass().getSimpleName() + " tag " + tag;
    }

    /**
     * What happens to a request's resources once the server is done with its tag. Called exactly
     * once, on the client's context, unless the connection ends first (then every fid is gone
     * anyway).
     */
    @FunctionalInterface
    interface Settle {
        /** Nothing to reclaim. */
        Settle NONE = (reply, late) -> { };

        /**
         * @param reply the server's answer ({@code Rerror} included), or null when the request was
         *     never sent or was flushed before the server answered it
         * @param late true when the caller had already been failed (timeout): a successful reply
         *     then must be undone by the settler (e.g. clunk a fid a late {@code Rwalk} bound)
         */
        void settled(StyxMessage reply, boolean late);
    }
}
