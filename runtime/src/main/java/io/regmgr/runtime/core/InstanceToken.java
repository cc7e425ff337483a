package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.InvalidEntryException;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;

import java.util.Optional;
import java.util.UUID;

/**
 * A manager's instance token: an attribute (by default {@code regmgr-instance}) whose value, a
 * random UUID, marks every registration the manager makes. A stale entry left in the registry by a
 * lost connection that carries the token is provably this manager's, so it may be removed at once
 * instead of waited out. Immutable and thread-safe.
 */
final class InstanceToken {
    private static final InstanceToken NONE = new InstanceToken(null, null);

    private final String attribute;
    private final String value;

    private InstanceToken(String attribute, String value) {
        this.attribute = attribute;
        this.value = value;
    }

    /**
     * @param attribute the token's attribute, or null for none
     * @return a fresh token, or the absent one
     */
    static InstanceToken create(String attribute) {
        return attribute == null ? NONE : new InstanceToken(attribute, UUID.randomUUID().toString());
    }

    /** @return the attribute, if tokens are on */
    Optional<String> attribute() {
        return Optional.ofNullable(attribute);
    }

    /** @return the value, if tokens are on */
    Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /** @return the filter that finds every service stamped with this token, if tokens are on */
    Optional<Filter> filter() {
        return attribute == null ? Optional.empty() : Optional.of(Filter.of(attribute, value));
    }

    /**
     * @param entry a service as the user gave it
     * @return the service with the token added
     * @throws InvalidEntryException if the user set the token's attribute
     */
    ServiceEntry stamp(ServiceEntry entry) {
        if (attribute == null) {
            return entry;
        }
        checkNotSet(entry.name(), entry.attributes());
        return new ServiceEntry(entry.name(), entry.attributes().with(Attributes.of(attribute, value)));
    }

    /**
     * @param serviceName the service
     * @param attributes attributes the user sets
     * @throws InvalidEntryException if they include the token's attribute
     */
    void checkNotSet(String serviceName, Attributes attributes) {
        if (attribute != null && attributes.get(attribute).isPresent()) {
            throw new InvalidEntryException("Invalid attribute '" + RegistryNames.printable(attribute) + "' of service "
                    + serviceName + ": it is reserved for the manager's instance token "
                    + "(see ManagerOptions.Builder.instanceTokenAttribute)");
        }
    }

    /**
     * @param entry a service found in the registry
     * @return whether it carries this token
     */
    boolean marks(ServiceEntry entry) {
        return attribute != null && entry.attributes().get(attribute).map(value::equals).orElse(false);
    }
}
