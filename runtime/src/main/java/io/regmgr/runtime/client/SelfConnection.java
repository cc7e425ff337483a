package io.regmgr.runtime.client;

import io.regmgr.RegistryConnectionException;
import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.util.Objects;

/**
 * Refuses a TCP connection that is connected to itself. When nothing listens on a port of the
 * local machine's ephemeral range and the OS happens to give the connecting socket that very port
 * as its own, TCP's simultaneous open connects the socket to itself: the client would then talk
 * to itself and, worse, hold the port so that a restarting registry cannot bind it. Treated as the
 * refused connection it stands for.
 */
final class SelfConnection {
    private SelfConnection() {
    }

    /**
     * @param socket a freshly connected socket
     * @param address the address dialled, for the message
     * @return the socket, or a failed future (the socket closed) if it is connected to itself
     */
    static Future<NetSocket> refuse(NetSocket socket, String address) {
        if (connectedToItself(socket.localAddress(), socket.remoteAddress())) {
            socket.close();
            return Future.failedFuture(new RegistryConnectionException(address,
                    "cannot connect: nothing listens there (the connection was connected to itself)", null));
        }
        return Future.succeededFuture(socket);
    }

    /** @return whether a socket with these ends is connected to itself */
    static boolean connectedToItself(SocketAddress local, SocketAddress remote) {
        return local != null && remote != null && local.port() == remote.port()
                && Objects.equals(local.hostAddress(), remote.hostAddress());
    }
}
