package io.regmgr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of attribute/value pairs describing a service: one value per attribute.
 *
 * <p>Iteration follows insertion order, for readable output, but equality ignores order: the
 * registry does not preserve it. Every name and value passes {@link RegistryNames#checkText}.
 * Instances are thread-safe.
 */
public final class Attributes {
    private static final Attributes EMPTY = new Attributes(Map.of());

    private final Map<String, String> map;

    private Attributes(Map<String, String> map) {
        this.map = map;
    }

    /** @return the empty set of attributes */
    public static Attributes empty() {
        return EMPTY;
    }

    /**
     * @param map attribute to value; copied
     * @return the attributes of {@code map}, in its iteration order
     * @throws InvalidEntryException if a name or value contains NUL or malformed UTF-16
     */
    public static Attributes of(Map<String, String> map) {
        if (map.isEmpty()) {
            return EMPTY;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> put(copy, k, v));
        return new Attributes(Collections.unmodifiableMap(copy));
    }

    /**
     * @param pairs attribute, value, attribute, value, ...; a later value replaces an earlier one
     * @return those attributes
     * @throws InvalidEntryException if the count is odd or a word is invalid
     */
    public static Attributes of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new InvalidEntryException("Invalid attribute list: odd number of words (" + pairs.length
                    + "): attributes come as attribute/value pairs");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            put(copy, pairs[i], pairs[i + 1]);
        }
        return copy.isEmpty() ? EMPTY : new Attributes(Collections.unmodifiableMap(copy));
    }

    private static void put(Map<String, String> into, String attr, String value) {
        RegistryNames.checkText("attribute name", attr);
        RegistryNames.checkText("value of attribute '" + RegistryNames.printable(attr) + "'", value);
        into.put(attr, value);
    }

    /**
     * @param changes attributes to add or replace
     * @return these attributes with {@code changes} applied, as the registry applies a write
     */
    public Attributes with(Attributes changes) {
        if (changes.map.isEmpty()) {
            return this;
        }
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(map);
        merged.putAll(changes.map);
        return new Attributes(Collections.unmodifiableMap(merged));
    }

    /**
     * @param attr an attribute name
     * @return its value, if present
     */
    public Optional<String> get(String attr) {
        return Optional.ofNullable(map.get(attr));
    }

    /** @return an unmodifiable view, in insertion order */
    public Map<String, String> asMap() {
        return map;
    }

    /** @return the number of attributes */
    public int size() {
        return map.size();
    }

    /** @return whether there are no attributes */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes && map.equals(((Attributes) o).map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
