package io.regmgr;

import java.util.Objects;

/**
 * A registered service as the registry describes it: its name and its attributes. Immutable.
 *
 * @param name the service name (by convention often its address, e.g. {@code tcp!host!port})
 * @param attributes its attribute/value pairs
 */
public record ServiceEntry(String name, Attributes attributes) {
    /**
     * @throws InvalidEntryException if {@code name} breaks the registry's rules
     */
    public ServiceEntry {
        RegistryNames.checkServiceName(name);
        Objects.requireNonNull(attributes, "attributes");
    }

    /**
     * @param name the service name
     * @param pairs attribute, value, ...
     * @return a new entry
     */
    public static ServiceEntry of(String name, String... pairs) {
        return new ServiceEntry(name, Attributes.of(pairs));
    }
}
