package io.regmgr;

import io.regmgr.spi.RegistryTask;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A service kept registered by a {@link RegistryManager}: registered whenever the registry is
 * reachable, re-registered after every reconnect with its latest attributes. Obtained from
 * {@link RegistryManager#register}; detach it to unregister. Thread-safe.
 */
public abstract class ServiceRegistration extends RegistryTask {
    /** @return the service name */
    public abstract String name();

    /** @return the service as it is (or will be) registered: the name and the merged attributes */
    public abstract ServiceEntry entry();

    /**
     * Adds or replaces attributes. The merge is kept at once, so a re-registration after a
     * reconnect carries it; while registered it is applied live.
     *
     * @param changes attributes to set; not empty
     * @return completes once the registry holds the merged attributes; fails with the registry's
     *     refusal if it refuses the update
     * @throws InvalidEntryException if {@code changes} is empty
     */
    public abstract CompletionStage<Void> update(Attributes changes);

    /** @return where the registration stands now */
    public abstract RegistrationStatus status();

    /**
     * Listens to the registration's status. Bounded and coalescing: a listener that keeps up is
     * told of every change, in order; while it is slow or blocked at most one call is pending for
     * it, and that call tells it the latest status, so changes meanwhile (a removal and its repair,
     * say) are coalesced into it, never queued one by one. It never hears an older status after a
     * newer one, nor the same status twice in a row.
     *
     * @param listener told of changes of {@link #status()}, in order, off the event loop
     * @return a handle that removes the listener
     */
    public abstract Subscription onStatus(Consumer<RegistrationStatus> listener);
}
