package io.regmgr.runtime.auth.link;

import io.regmgr.runtime.auth.AuthException;
import io.regmgr.runtime.auth.AuthFrames;
import io.regmgr.runtime.auth.FrameReader;
import io.regmgr.runtime.auth.Handshake;
import io.regmgr.runtime.auth.SslAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.security.SecureRandom;
import java.util.List;

/**
 * Drives one {@link Handshake} over a socket: frames in and out, the deadline, the peer's hang-up,
 * then the algorithm frame (a client sends it, a server reads and checks it) and the record layer.
 * On failure the socket is closed, after the error frame the handshake asked for has been written.
 * Runs on the socket's event loop, except the handshake's steps themselves (the modular
 * arithmetic: milliseconds for 1024-bit keys), which run on a Vert.x worker thread: one at a time
 * per connection, unordered between connections (one slow or flooding peer never queues another's).
 *
 * <p>Bounded per connection: the socket is paused while a frame is on a worker thread and while
 * bytes fed are not yet consumed, so at most one frame and one read's worth of bytes are held;
 * and a peer that sends more than {@value #MAX_FRAMES} frames (an honest one sends at most six,
 * plus the client's algorithm frame: {@value #MAX_FRAMES} frames are at most
 * {@value #MAX_FRAMES} &times; 4,100 bytes) is cut off with the handshake's failure, so the phase
 * where one side waits for the other's error or {@code OK} (Inferno reads there until one comes)
 * cannot be fed for ever.
 */
public final class HandshakeDriver {
    /**
     * The most frames read from the peer in one handshake: an honest peer sends its version, alpha,
     * certificate, public key, signature and {@code OK} (or an error), and a client its algorithm.
     */
    public static final int MAX_FRAMES = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final NetSocket socket;
    private final AuthSettings settings;
    private final boolean client;
    private final Handshake handshake;
    private final FrameReader reader = new FrameReader(AuthFrames.MAX_PAYLOAD - 1);
    private final Promise<SecureSocket> result = Promise.promise();
    private Handshake.Result authenticated;
    private long timer = -1;
    /** A frame is being handled on a worker thread. */
    private boolean busy;
    /** The peer's input ended (close or I/O error). */
    private boolean ended;
    /** Frames read from the peer so far. */
    private int frames;
    /** The socket is paused by this driver. */
    private boolean paused;

    private HandshakeDriver(Vertx vertx, NetSocket socket, AuthSettings settings, boolean client) {
        this.vertx = vertx;
        this.socket = socket;
        this.settings = settings;
        this.client = client;
        this.handshake = new Handshake(settings.key(), RANDOM, () -> System.currentTimeMillis() / 1000);
    }

    /**
     * Authenticates as a client and sends {@code settings.algorithms().get(0)}.
     *
     * @return the socket ready for 9P; or an {@link AuthException} with Inferno's words (the peer's
     *     own words, prefixed {@code remote: }, when the peer refused us)
     */
    public static Future<SecureSocket> client(Vertx vertx, NetSocket socket, AuthSettings settings) {
        return new HandshakeDriver(vertx, socket, settings, true).run();
    }

    /**
     * Authenticates as a server and checks the client's algorithm against {@code settings.algorithms()}.
     *
     * @return the socket ready for 9P, or the failure (the socket is then closed)
     */
    public static Future<SecureSocket> server(Vertx vertx, NetSocket socket, AuthSettings settings) {
        return new HandshakeDriver(vertx, socket, settings, false).run();
    }

    private Future<SecureSocket> run() {
        timer = vertx.setTimer(Math.max(1, settings.deadline().toMillis()), id -> fail(new AuthException("hungup",
                "no complete handshake within " + settings.deadline().toMillis() + " ms")));
        socket.handler(this::onData);
        socket.closeHandler(v -> onEnd());
        socket.exceptionHandler(e -> onEnd());
        send(handshake.start());
        return result.future();
    }

    private void onData(Buffer b) {
        if (result.future().isComplete()) {
            return;
        }
        byte[] bytes = b.getBytes();
        reader.feed(bytes, 0, bytes.length);
        next();
    }

    private void pause() {
        if (!paused) {
            paused = true;
            socket.pause();
        }
    }

    private void resume() {
        if (paused) {
            paused = false;
            socket.resume();
        }
    }

    /**
     * Takes the next frame, one at a time: the handshake's modular arithmetic runs on a worker
     * thread (milliseconds per step with 1024-bit keys), off the event loop that also serves 9P.
     * Frames are taken only when needed, so the bytes after the last one stay for the records.
     * The socket reads again only once every byte received is consumed and no frame is on a worker.
     */
    private void next() {
        if (busy || result.future().isComplete()) {
            return;
        }
        AuthFrames.Frame f;
        try {
            f = reader.next();
            if (f == null) {
                if (ended) {
                    fail(authenticated == null ? handshake.onEnd(reader.inFrame()).failure()
                            : new AuthException("can't read client ssl algorithm", "the client hung up"));
                } else {
                    resume();
                }
                return;
            }
            pause();
            if (++frames > MAX_FRAMES) {
                fail(tooManyFrames());
                return;
            }
            if (authenticated != null) {
                readAlgorithm(f);
                return;
            }
        } catch (AuthException e) {
            fail(e);
            return;
        }
        busy = true;
        // unordered: the context's ordered queue is shared by every connection on this event loop
        vertx.executeBlocking(() -> handshake.onFrame(f), false).onComplete(ar -> {
            busy = false;
            if (result.future().isComplete()) {
                return;
            }
            if (ar.failed()) {
                // a defect, not the peer's fault: still only this connection ends
                fail(ar.cause() instanceof AuthException a ? a
                        : new AuthException("input or format error", "internal error in the handshake: " + ar.cause()));
                return;
            }
            step(ar.result());
            next();
        });
    }

    /** The handshake's own failure (its local one, in the phase that waits for the peer's error), capped. */
    private AuthException tooManyFrames() {
        AuthException cause = handshake.onEnd(reader.inFrame()).failure();
        return new AuthException(cause.reason(), "the peer sent more than " + MAX_FRAMES
                + " handshake frames; cut off (" + cause.detail() + ")");
    }

    private void step(Handshake.Step s) {
        send(s.send());
        if (s.failure() != null) {
            fail(s.failure());
        } else if (s.result() != null) {
            authenticated = s.result();
            if (client) {
                String alg = settings.algorithms().get(0);
                socket.write(Buffer.buffer(AuthFrames.message(alg)));
                finish(SslAlgorithm.parse(alg));
            }
        }
    }

    private void readAlgorithm(AuthFrames.Frame f) {
        if (f.error() || f.payload().length == 0) {
            throw new AuthException("can't read client ssl algorithm", f.error() ? "an error frame came instead"
                    : "the algorithm string is empty");
        }
        finish(SslAlgorithm.accept(f.text(), settings.algorithms()));
    }

    private void finish(SslAlgorithm alg) {
        cancelTimer();
        byte[] rest = reader.take();
        // stays paused until SecureSocket.handler takes the bytes that follow
        pause();
        socket.handler(null);
        socket.closeHandler(null);
        socket.exceptionHandler(null);
        byte[] secret = authenticated.secret();
        SecureSocket.Identity id = new SecureSocket.Identity(settings.key().owner(), authenticated.peerName(),
                alg.text());
        settings.status().succeeded(id);
        result.tryComplete(alg.isNone() ? new SecureSocket(socket, id, null, null, rest)
                : new SecureSocket(socket, id, alg.sealer(secret), alg.opener(secret), rest));
    }

    private void onEnd() {
        ended = true;
        next();
    }

    private void send(List<byte[]> frames) {
        for (byte[] f : frames) {
            socket.write(Buffer.buffer(f));
        }
    }

    private void fail(AuthException e) {
        cancelTimer();
        if (result.tryFail(e)) {
            socket.handler(null);
            reader.take();
            socket.close();
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
