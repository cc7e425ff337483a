package io.regmgr.spi;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * A live link to a registry, opened by {@link RegistryConnector#connect}. Every operation is
 * non-blocking; failures are the project's exceptions: {@link io.regmgr.RegistryErrorException}
 * (the registry's own refusal, with its exact words), {@link io.regmgr.InvalidEntryException} and
 * {@link io.regmgr.LimitExceededException} (refused before sending),
 * {@link io.regmgr.RegistryConnectionException} (the session ended),
 * {@link io.regmgr.RegistryTimeoutException} and {@link io.regmgr.ProtocolViolationException}.
 *
 * <p>Thread-safe: methods may be called from any thread.
 */
public interface RegistrySession {
    /**
     * Registers a service. Completes when the registry has accepted it.
     *
     * @param entry name and attributes
     * @param listener told if the registry drops the registration later
     * @return the live registration
     */
    CompletionStage<Registration> register(ServiceEntry entry, RegistrationListener listener);

    /**
     * @param filter attribute/value pairs ({@code *} matches any value); {@link Filter#all()} for all
     * @return the services matching now
     */
    CompletionStage<List<ServiceEntry>> find(Filter filter);

    /** @return every registered service */
    CompletionStage<List<ServiceEntry>> index();

    /**
     * @return about how many registry requests one {@link #find} or {@link #index} read costs the
     *     registry beyond the lines it formats, for the manager's choice between finds and one
     *     index read. Default 1 (9P on a fid kept open); the line bridge's new find connection
     *     costs about 5 (walk, open, write the filter, read, read to the end)
     */
    default int requestsPerRead() {
        return 1;
    }

    /**
     * Removes a service by name. Only its owner may (the registry answers {@code permission denied}
     * otherwise); only transports that can, see {@link #canRemove()}.
     *
     * @param serviceName the service
     * @return completes when removed
     */
    CompletionStage<Void> remove(String serviceName);

    /** @return whether {@link #remove} is supported (9P: yes; the line bridge: no) */
    boolean canRemove();

    /**
     * @return the registry's event version when the session opened, if the transport can tell
     *     (9P: the root directory's {@code qid.vers})
     */
    OptionalLong initialVersion();

    /**
     * @return when the registry started, if the transport can tell (9P: the root's {@code mtime});
     *     a different value on a new session means the registry restarted
     */
    Optional<Instant> registryStartTime();

    /** @return whether the session is still live */
    boolean isOpen();

    /**
     * Ends the session: registrations made through it are dropped by the registry, the listener
     * gets {@code closed(null)}. Idempotent.
     *
     * @return completes when the connection is closed
     */
    CompletionStage<Void> close();
}
