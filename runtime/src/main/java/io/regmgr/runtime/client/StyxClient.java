package io.regmgr.runtime.client;

import static io.regmgr.runtime.protocol.StyxMessage.NOFID;
import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryAuthenticationException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.runtime.auth.AuthFrames;
import io.regmgr.runtime.auth.link.SecureSocket;
import io.regmgr.runtime.client.Pending.Settle;
import io.regmgr.runtime.protocol.StyxFrameReader;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One TCP connection to a 9P2000 server: connects, negotiates the version ({@code Tversion} asking
 * {@link ConnectorOptions#msize()}, accepting any smaller answer), attaches as
 * {@link ConnectorOptions#user()}, then carries pipelined requests, multiplexed by tag through a
 * {@link StyxMux} ({@value #MAX_IN_FLIGHT} tags in flight, {@value #MAX_WAITING} requests waiting at
 * most; a timed-out request is flushed). Frames written by one burst of work leave in one socket
 * write. A {@link LivenessProbe} watches for a half-open connection.
 *
 * <p>The connection ends on the first of: peer close or I/O error, a protocol violation (garbage, a
 * frame above msize, a reply to no request, a reply of the wrong type or size, a T-message from the
 * server), a fatal timeout (handshake, flush, probe), or {@link #close()}. Then every request in
 * flight or waiting fails with that one exception (a {@link RegistryConnectionException} naming the
 * address, or the {@link ProtocolViolationException} or {@link RegistryTimeoutException} that caused
 * it), the socket is closed, and the end handler runs once.
 *
 * <p>Threading: all state lives on one Vert.x context, without locks. Methods returning a Vert.x
 * {@link Future} must be called on that context; {@link #run} hops onto it from any thread.
 */
final class StyxClient {
    /** Tags in flight at once. */
    static final int MAX_IN_FLIGHT = 1024;
    /** Requests waiting for a tag at once. */
    static final int MAX_WAITING = 65_536;
    /** The fid of the root, bound by {@code Tattach}: the first fid handed out. */
    static final int ROOT_FID = 0;

    private static final System.Logger LOG = System.getLogger(StyxClient.class.getName());

    private enum State { CONNECTING, OPEN, CLOSED }

    private final ConnectorOptions options;
    private final String address;
    private final Vertx vertx;
    private final Context context;
    private final StyxMux mux;
    private final FidPool fids = new FidPool();
    private final StyxFrameReader reader;
    private final LivenessProbe probe;
    private final Promise<Void> socketClosed = Promise.promise();
    private NetSocket socket;
    private final int askedMsize;
    private SecureSocket link;
    private int msize;
    private Buffer outgoing;
    private State state = State.CONNECTING;
    private volatile boolean open;
    private Throwable endCause;
    private Consumer<Throwable> endHandler = cause -> { };

    private StyxClient(Vertx vertx, Context context, ConnectorOptions options, int askedMsize) {
        this.options = options;
        this.address = options.address().toString();
        this.vertx = vertx;
        this.context = context;
        this.askedMsize = askedMsize;
        this.msize = askedMsize;
        this.reader = new StyxFrameReader(askedMsize, this::onMessage);
        this.probe = new LivenessProbe(vertx, options.probeInterval(), this::sendProbe);
        this.mux = new StyxMux(vertx, address, options.requestTimeout(), new StyxMux.Link() {
            @Override
            public void send(byte[] frame) {
                write(frame);
            }

            @Override
            public int msize() {
                return msize;
            }

            @Override
            public void fail(Throwable cause) {
                closeWith(cause);
            }
        }, this::closedFailure, MAX_IN_FLIGHT, MAX_WAITING);
    }

    /**
     * Connects, negotiates the version and attaches as {@link ConnectorOptions#user()}.
     *
     * @return the open client, on its own context; or the failure, the connection closed
     */
    static Future<StyxClient> connect(Vertx vertx, NetClient net, ConnectorOptions options) {
        return connect(vertx, net, options, options.msize());
    }

    /**
     * As {@link #connect(Vertx, NetClient, ConnectorOptions)}, asking for {@code msize} instead of the options'.
     *
     * @return the open client, on its own context; or the failure, the connection closed
     */
    static Future<StyxClient> connect(Vertx vertx, NetClient net, ConnectorOptions options, int msize) {
        Context context = vertx.getOrCreateContext();
        Promise<StyxClient> result = Promise.promise();
        context.runOnContext(v -> new StyxClient(vertx, context, options, msize).open(net).onComplete(result));
        return result.future();
    }

    private Future<StyxClient> open(NetClient net) {
        return net.connect(options.address().port(), options.address().host())
                .recover(e -> Future.failedFuture(new RegistryConnectionException(address,
                        "cannot connect: " + e.getMessage(), e)))
                .compose(s -> SelfConnection.refuse(s, address))
                .compose(s -> ClientAuthentication.authenticate(vertx, s, options))
                .compose(s -> {
                    bind(s);
                    return handshake();
                })
                .recover(e -> {
                    closeWith(e);
                    return Future.failedFuture(e instanceof RegistryErrorException
                            ? new RegistryConnectionException(address, "the registry refused the session: "
                                    + e.getMessage(), e)
                            : e);
                })
                .map(v -> this);
    }

    private void bind(SecureSocket link) {
        this.link = link;
        NetSocket s = link.socket();
        socket = s;
        link.handler(this::onData, e -> closeWith(ClientAuthentication.badRecord(address, e)));
        s.closeHandler(v -> closeWith(ClientAuthentication.closedCause(address, link)));
        s.exceptionHandler(e -> closeWith(new RegistryConnectionException(address,
                "connection failed: " + e.getMessage(), e)));
    }

    private Future<Void> handshake() {
        Duration timeout = options.requestTimeout();
        // size[4] Tversion tag[2] msize[4] version[s], tag NOTAG: the only request outside the tag pool
        return mux.submitUntagged(new Pending(tag -> new Tversion(NOTAG, askedMsize, ReplyChecks.VERSION),
                "version " + ReplyChecks.VERSION + " with " + address, timeout, true, Settle.NONE)).compose(reply -> {
            msize = ((Rversion) reply).msize();
            reader.setMaxMessageSize(msize);
            int root = fids.allocate();
            // size[4] Tattach tag[2] fid[4] afid[4] uname[s] aname[s]
            return mux.submit(new Pending(tag -> new Tattach(tag, root, NOFID, options.user(), ""),
                    "attach as '" + options.user() + "' to " + address, timeout, true, Settle.NONE), false);
        }).map(attached -> {
            if (state == State.CONNECTING) {
                state = State.OPEN;
                open = true;
                probe.start();
            }
            return null;
        });
    }

    /**
     * Sends one request with the request timeout; on timeout its tag is flushed.
     *
     * @param replyType the expected reply; an {@code Rerror} fails the future with
     *     {@link RegistryErrorException}({@code what}, its exact string)
     * @param what the operation and target, e.g. {@code register svc on tcp!h!6675}
     * @param build the message for a given tag
     * @param settle reclaims what the request bound, once the server is done with the tag
     */
    <R extends StyxMessage> Future<R> call(Class<R> replyType, String what, IntFunction<StyxMessage> build,
            Settle settle) {
        return mux.submit(new Pending(build, what, options.requestTimeout(), false, settle), false).map(replyType::cast);
    }

    /** As {@link #call} but without a deadline: for the event read, which blocks until a change. */
    <R extends StyxMessage> Future<R> callUntimed(Class<R> replyType, String what, IntFunction<StyxMessage> build) {
        return mux.submit(new Pending(build, what, null, false, Settle.NONE), false).map(replyType::cast);
    }

    private Future<?> sendProbe() {
        String what = "liveness probe of " + address + " after " + options.probeInterval().toMillis()
                + " ms of silence: half-open connection?";
        // size[4] Tstat tag[2] fid[4]
        return mux.submit(new Pending(tag -> new Tstat(tag, ROOT_FID), what, options.probeDeadline(), true,
                Settle.NONE), true);
    }

    /** Queues a frame; the frames queued by one burst of tasks go out in one socket write. */
    private void write(byte[] frame) {
        if (outgoing == null) {
            outgoing = Buffer.buffer(frame.length);
            context.runOnContext(v -> flushOutgoing());
        }
        outgoing.appendBytes(frame);
    }

    private void flushOutgoing() {
        Buffer b = outgoing;
        outgoing = null;
        if (b != null && state != State.CLOSED) {
            link.write(b);
        }
    }

    private void onData(Buffer data) {
        if (state == State.CLOSED) {
            return;
        }
        byte[] bytes = data.getBytes();
        try {
            reader.feed(bytes, 0, bytes.length);
        } catch (ProtocolViolationException | LimitExceededException e) {
            closeWith(state == State.CONNECTING && options.authentication() == null && AuthFrames.startsOne(bytes)
                    ? new RegistryAuthenticationException(address, "the registry requires authentication",
                            "it answered 9P with an Inferno authentication frame, as a listen without -A does; set"
                            + " ConnectorOptions authentication or regmgr.auth.key-file", e)
                    : new ProtocolViolationException("9P from " + address + ": " + e.getMessage(), e));
        }
        mux.pump();
    }

    private void onMessage(StyxMessage m) {
        if (state == State.CLOSED) {
            return;
        }
        probe.received();
        try {
            mux.onReply(m);
        } catch (ProtocolViolationException e) {
            closeWith(e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "9P client for " + address + ": failure handling " + m, e);
            closeWith(new RegistryConnectionException(address, "internal error handling " + m + ": " + e, e));
        }
    }

    /**
     * Ends the connection, failing every request with {@code cause} (or, for null, a
     * {@link RegistryConnectionException} saying the client closed it). Idempotent.
     *
     * @param cause why; null when the client closes it
     */
    void closeWith(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        open = false;
        endCause = cause;
        probe.stop();
        outgoing = null;
        Throwable failure = cause != null ? cause
                : new RegistryConnectionException(address, "connection closed by the client", null);
        mux.failAll(failure);
        Future<Void> closing = socket == null ? Future.succeededFuture() : socket.close();
        closing.onComplete(ar -> socketClosed.tryComplete());
        if (cause != null) {
            LOG.log(Level.DEBUG, () -> "9P connection to " + address + " ended: " + cause);
        }
        try {
            endHandler.accept(cause);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "9P client for " + address + ": end handler failed", e);
        }
    }

    /** @return completes once the socket is closed; closes the connection (idempotent); on the context */
    Future<Void> close() {
        closeWith(null);
        return socketClosed.future();
    }

    /**
     * Runs {@code action} on the client's context (at once when already there).
     *
     * @return its result; a {@link RuntimeException} thrown by {@code action} fails it
     */
    <T> CompletionStage<T> run(Supplier<Future<T>> action) {
        Promise<T> result = Promise.promise();
        if (Vertx.currentContext() == context) {
            runCatching(action, result);
        } else {
            context.runOnContext(v -> runCatching(action, result));
        }
        return result.future().toCompletionStage();
    }

    private static <T> void runCatching(Supplier<Future<T>> action, Promise<T> result) {
        try {
            action.get().onComplete(result);
        } catch (RuntimeException e) {
            result.fail(e);
        }
    }

    /** @param handler runs once when the connection ends, with its cause (null: closed by the client) */
    void onEnd(Consumer<Throwable> handler) {
        this.endHandler = handler;
    }

    /** @return a failure for a request made after the end, carrying the cause of the end */
    RegistryConnectionException closedFailure() {
        return new RegistryConnectionException(address, "the session is closed"
                + (endCause == null ? " (by the client)" : ": " + endCause.getMessage()), endCause);
    }

    /** @return whether the connection is attached and not ended; any thread */
    boolean isOpen() {
        return open;
    }

    /** @return the msize negotiated */
    int msize() {
        return msize;
    }

    /** @return the server's address as a dial string */
    String address() {
        return address;
    }

    /** @return who authenticated as whom with which algorithm ({@link SecureSocket.Identity#NONE} without a key) */
    SecureSocket.Identity identity() {
        return link == null ? SecureSocket.Identity.NONE : link.identity();
    }

    /** @return the options this client was made with */
    ConnectorOptions options() {
        return options;
    }

    /** @return the fids of this connection; on the context */
    FidPool fids() {
        return fids;
    }

    /** @return tags held now (for leak tests); any thread */
    int tagsInFlight() {
        return mux.inFlight();
    }

    /** @return fids allocated now, the root's included (for leak tests); any thread */
    int fidsAllocated() {
        return fids.allocated();
    }
}
