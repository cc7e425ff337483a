package io.regmgr.runtime.auth.link;

import io.regmgr.runtime.auth.AuthException;
import io.regmgr.runtime.auth.RecordOpener;
import io.regmgr.runtime.auth.RecordSealer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * A socket carrying 9P after authentication: plain (no key, or algorithm {@code none}) or through
 * the record layer. Writes are sealed into records; received records are opened and their data
 * handed on. A record that fails (bad digest, bad length) ends the connection through the failure
 * handler: the caller closes it. Not thread-safe: use on the socket's event loop.
 */
public final class SecureSocket {
    private final NetSocket socket;
    private final Identity identity;
    private final RecordSealer sealer;
    private final RecordOpener opener;
    private byte[] pending;
    private boolean received;

    /**
     * Who is on each side and how the connection is protected.
     *
     * @param self my key's owner, or null without authentication
     * @param peer the peer's key owner, or null without authentication
     * @param algorithm the record algorithm, or null without authentication
     */
    public record Identity(String self, String peer, String algorithm) {
        /** No authentication. */
        public static final Identity NONE = new Identity(null, null, null);

        /** @return whether a handshake took place */
        public boolean authenticated() {
            return peer != null;
        }

        @Override
        public String toString() {
            return authenticated() ? "authenticated as '" + self + "' to '" + peer + "' with " + algorithm
                    : "not authenticated";
        }
    }

    SecureSocket(NetSocket socket, Identity identity, RecordSealer sealer, RecordOpener opener, byte[] pending) {
        this.socket = socket;
        this.identity = identity;
        this.sealer = sealer;
        this.opener = opener;
        this.pending = pending;
    }

    /** @return a socket without authentication: bytes pass unchanged */
    public static SecureSocket plain(NetSocket socket) {
        return new SecureSocket(socket, Identity.NONE, null, null, new byte[0]);
    }

    /**
     * Starts delivering data; bytes that arrived with the end of the handshake are delivered at once.
     *
     * @param data gets 9P bytes in order
     * @param failure gets an {@link AuthException} for a bad record; no data follows it
     */
    public void handler(Handler<Buffer> data, Handler<AuthException> failure) {
        Handler<Buffer> in = opener == null ? data : b -> open(b, data, failure);
        socket.handler(b -> {
            received = true;
            in.handle(b);
        });
        byte[] first = pending;
        pending = null;
        if (first.length > 0) {
            received = true;
            in.handle(Buffer.buffer(first));
        }
        // the handshake leaves the socket paused so that nothing after it is lost
        socket.resume();
    }

    private void open(Buffer b, Handler<Buffer> data, Handler<AuthException> failure) {
        byte[] bytes = b.getBytes();
        byte[] plain;
        try {
            plain = opener.open(bytes, 0, bytes.length);
        } catch (AuthException e) {
            socket.handler(null);
            failure.handle(e);
            return;
        }
        if (plain.length > 0) {
            data.handle(Buffer.buffer(plain));
        }
    }

    /** Writes 9P bytes, sealed into records when the record layer is on. */
    public Future<Void> write(Buffer b) {
        if (sealer == null) {
            return socket.write(b);
        }
        byte[] bytes = b.getBytes();
        return socket.write(Buffer.buffer(sealer.seal(bytes, 0, bytes.length)));
    }

    /** @return whether any byte came from the peer after authentication */
    public boolean receivedAny() {
        return received;
    }

    /** @return the TCP socket underneath */
    public NetSocket socket() {
        return socket;
    }

    /** @return who is on each side, and the algorithm */
    public Identity identity() {
        return identity;
    }

    @Override
    public String toString() {
        return "secure socket, " + identity;
    }
}
