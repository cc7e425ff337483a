package io.regmgr.spi;

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

    /** @return what this connector reaches, for logs, e.g. {@code 9P2000 tcp!127.0.0.1!6675} */
    String describe();

    /** Closes every open session and releases what the connector owns. Idempotent. */
    @Override
    void close();
}
