package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryAuthenticationException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.runtime.auth.AuthException;
import io.regmgr.runtime.auth.link.HandshakeDriver;
import io.regmgr.runtime.auth.link.SecureSocket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

/**
 * The 9P connector's side of Inferno authentication: runs the handshake when
 * {@link ConnectorOptions#authentication()} is set, and turns its failures, a bad record and a
 * close right after authentication into the exceptions a caller sees. Stateless; on the socket's
 * event loop.
 */
final class ClientAuthentication {
    private ClientAuthentication() {
    }

    /** @return the socket ready for 9P: plain without a key, else authenticated and with its record layer */
    static Future<SecureSocket> authenticate(Vertx vertx, NetSocket socket, ConnectorOptions options) {
        if (options.authentication() == null) {
            return Future.succeededFuture(SecureSocket.plain(socket));
        }
        String address = options.address().toString();
        return HandshakeDriver.client(vertx, socket, options.authentication())
                .recover(e -> Future.failedFuture(e instanceof AuthException a
                        ? new RegistryAuthenticationException(address, a.reason(), a.detail(), null)
                        : e));
    }

    /**
     * @return why the connection ended when the peer closed it: after authentication but before any
     *     answer, a stock listener refusing our algorithm (it says nothing, it just closes)
     */
    static RegistryConnectionException closedCause(String address, SecureSocket link) {
        if (link.identity().authenticated() && !link.receivedAny()) {
            return new RegistryAuthenticationException(address, "closed after authentication: it may not allow '"
                    + link.identity().algorithm() + "'; set regmgr.auth.alg", null, null);
        }
        return new RegistryConnectionException(address, "connection closed by the peer", null);
    }

    /** @return the failure for a record that did not open (bad digest, bad length) */
    static ProtocolViolationException badRecord(String address, AuthException e) {
        return new ProtocolViolationException("ssl records from " + address + ": " + e.getMessage());
    }
}
