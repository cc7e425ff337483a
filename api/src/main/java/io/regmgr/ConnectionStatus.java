package io.regmgr;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a {@link RegistryManager}'s connection. Immutable.
 *
 * @param state where the connection stands
 * @param cause why it was lost or refused last (null when connected, or if never)
 * @param attempt failed attempts since the last success (0 when connected)
 * @param reconnects successful connections after the first one
 * @param since when {@code state} was entered
 * @param lastContact when the registry last answered anything (null if never)
 */
public record ConnectionStatus(ConnectionState state, Throwable cause, int attempt, long reconnects, Instant since,
        Instant lastContact) {
    /** @return whether the manager is connected */
    public boolean isConnected() {
        return state == ConnectionState.CONNECTED;
    }

    /** @return {@link #cause()} as an Optional */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(cause);
    }
}
