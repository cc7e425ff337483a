package io.regmgr.spi;

import io.regmgr.Attributes;
import io.regmgr.ServiceEntry;

import java.util.concurrent.CompletionStage;

/**
 * One service registered through a {@link RegistrySession}: it stays registered while this
 * handle is open and its session lives. Thread-safe.
 */
public interface Registration {
    /** @return the service as last accepted by the registry: its name and merged attributes */
    ServiceEntry entry();

    /**
     * Adds or replaces attributes (the registry never deletes one). Applied whole or refused.
     *
     * @param changes the attributes to set; not empty
     * @return completes when applied
     */
    CompletionStage<Void> update(Attributes changes);

    /**
     * Unregisters the service (a persistent one stays). Idempotent.
     *
     * @return completes when done
     */
    CompletionStage<Void> unregister();

    /** @return whether the service is still registered through this handle, as far as known */
    boolean isActive();
}
