package io.regmgr.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A way to reach one registry: the connection plugin of the original Inferno::RegMgr. RegMgr ships
 * two (native 9P2000 and the line bridge); users may write their own.
 *
 * <p>A connector opens {@link RegistrySession sessions}. A session is live while the registry's
 * event stream is: when the stream ends, the session ends and everything done through it
 * (registrations included) is gone; the manager then opens a new session.
 *
 * <p>Implementations are thread-safe. Results complete on the transport's own thread: callers
 * must not block in their continuations.
 */
public interface RegistryConnector extends AutoCloseable {
    /**
     * Connects and starts watching the registry's events.
     *
     * <p>The stage completes once the session is live and watching: any change after completion is
     * reported to {@code listener}, so a {@link RegistrySession#find find} started then misses
     * nothing. It fails with {@link io.regmgr.RegistryConnectionException} (unreachable),
     * {@link io.regmgr.RegistryTimeoutException} (no answer in time) or
     * {@link io.regmgr.ProtocolViolationException} (the peer is not a registry).
     *
     * @param listener told of changes and of the end of the session; called on the transport's thread
     * @return the live session
     */
    CompletionStage<RegistrySession> connect(SessionListener listener);

    /**
     * Checks cheaply whether the registry accepts connections, without setting up a session: for
     * example a TCP connection opened and closed at once, which costs the registry nothing, where a
     * session setup costs it several requests (and, with authentication, seconds of crypto on a
     * real Inferno). While the registry is down the manager probes, and sets up a session only
     * once a probe succeeded.
     *
     * <p>The default has no cheap check: it completes at once with {@code false}, and the
     * manager's next step is a full {@link #connect}, which then serves as the probe (right for a
     * connector whose session is itself one cheap connection).
     *
     * @return {@code true} once the registry accepted the probe, {@code false} at once when this
     *     connector has no cheap probe; fails with {@link io.regmgr.RegistryConnectionException}
     *     when the registry did not accept it (unreachable, refused, or this connector closed)
     */
    default CompletionStage<Boolean> probe() {
        return CompletableFuture.completedFuture(false);
    }

    /** @return what this connector reaches, for logs, e.g. {@code 9P2000 tcp!127.0.0.1!6675} */
    String describe();

    /** Closes every open session and releases what the connector owns. Idempotent. */
    @Override
    void close();
}
