package io.regmgr.runtime.server;

import io.regmgr.runtime.auth.link.AuthSettings;
import io.regmgr.runtime.auth.link.HandshakeDriver;
import io.regmgr.runtime.auth.link.SecureSocket;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * The embedded registry's accept path for 9P: without a key the socket goes straight to 9P (as
 * {@code listen -A}); with one, the client must authenticate first (as {@code listen -k}). A bad
 * handshake (wrong signer, expired certificate, algorithm not allowed, garbage, silence past the
 * deadline) closes that one connection, logged as {@code listen -v} does; nothing else is touched.
 * Stateless; on the registry's context.
 */
final class ServerAuthentication {
    private static final System.Logger LOG = System.getLogger(ServerAuthentication.class.getName());

    private ServerAuthentication() {
    }

    /**
     * What the registry's "serving" line says of its authentication: names and algorithms only,
     * never key material.
     *
     * @param auth the registry's key and allowed algorithms
     * @return e.g. {@code 9P connections authenticated (keys signed by 'signer'; the registry is 'server'; algorithms sha1 rc4_256)}
     */
    static String describe(AuthSettings auth) {
        return "9P connections authenticated (keys signed by '" + auth.key().certificate().signer()
                + "'; the registry is '" + auth.key().owner() + "'; algorithms " + String.join(" ", auth.algorithms()) + ")";
    }

    /**
     * @param auth the registry's key and allowed algorithms, or null for none
     * @param closed runs once if the connection ends before {@code serve} takes it
     * @param serve takes the socket once it is ready for 9P
     */
    static void accept(Vertx vertx, AuthSettings auth, NetSocket socket, Runnable closed, Consumer<SecureSocket> serve) {
        if (auth == null) {
            serve.accept(SecureSocket.plain(socket));
            return;
        }
        String from = String.valueOf(socket.remoteAddress());
        HandshakeDriver.server(vertx, socket, auth).onComplete(ar -> {
            if (ar.succeeded()) {
                LOG.log(Level.DEBUG, () -> "authenticated on 9P from " + from + " as " + ar.result().identity().peer()
                        + " with " + ar.result().identity().algorithm());
                serve.accept(ar.result());
            } else {
                LOG.log(Level.INFO, () -> "auth on 9P from " + from + " failed: " + ar.cause().getMessage());
                closed.run();
            }
        });
    }
}
