package io.regmgr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A registry query: attribute/value pairs that a service must all carry. A value of {@code *}
 * matches any value of that attribute; the empty filter matches every service. Immutable and
 * thread-safe; matching follows the registry's own rule exactly.
 */
public final class Filter {
    /** The value that matches any value of an attribute. */
    public static final String WILDCARD = "*";

    private static final Filter ALL = new Filter(List.of());

    private final List<Map.Entry<String, String>> pairs;

    private Filter(List<Map.Entry<String, String>> pairs) {
        this.pairs = pairs;
    }

    /** @return the filter that matches every service */
    public static Filter all() {
        return ALL;
    }

    /**
     * @param pairs attribute, value, attribute, value, ... ({@code *} as a value matches any)
     * @return the filter
     * @throws InvalidEntryException if the count is odd or a word contains NUL or malformed UTF-16
     */
    public static Filter of(String... pairs) {
        return of(List.of(pairs));
    }

    /**
     * @param words attribute, value, attribute, value, ...
     * @return the filter
     * @throws InvalidEntryException if the count is odd or a word contains NUL or malformed UTF-16
     */
    public static Filter of(List<String> words) {
        if (words.size() % 2 != 0) {
            throw new InvalidEntryException("Invalid filter " + words + ": odd number of words ("
                    + words.size() + "): a filter is attribute/value pairs");
        }
        if (words.isEmpty()) {
            return ALL;
        }
        List<Map.Entry<String, String>> list = new ArrayList<>(words.size() / 2);
        for (int i = 0; i < words.size(); i += 2) {
            String attr = RegistryNames.checkText("filter attribute", words.get(i));
            String value = RegistryNames.checkText("filter value for '" + RegistryNames.printable(attr) + "'",
                    words.get(i + 1));
            list.add(Map.entry(attr, value));
        }
        return new Filter(List.copyOf(list));
    }

    /** @return the pairs, in order */
    public List<Map.Entry<String, String>> pairs() {
        return pairs;
    }

    /** @return attribute, value, ... as a flat list, ready to be quoted onto the wire */
    public List<String> words() {
        List<String> words = new ArrayList<>(pairs.size() * 2);
        for (Map.Entry<String, String> p : pairs) {
            words.add(p.getKey());
            words.add(p.getValue());
        }
        return words;
    }

    /** @return whether this is the empty filter, which matches everything */
    public boolean isAll() {
        return pairs.isEmpty();
    }

    /**
     * @param attributes a service's attributes
     * @return whether every pair of this filter is carried by {@code attributes}
     */
    public boolean matches(Attributes attributes) {
        return matches(attributes.asMap());
    }

    /**
     * @param attributes a service's attributes as a map
     * @return whether every pair of this filter is carried by {@code attributes}
     */
    public boolean matches(Map<String, String> attributes) {
        for (Map.Entry<String, String> p : pairs) {
            String v = attributes.get(p.getKey());
            if (v == null || !(WILDCARD.equals(p.getValue()) || v.equals(p.getValue()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Filter && pairs.equals(((Filter) o).pairs);
    }

    @Override
    public int hashCode() {
        return pairs.hashCode();
    }

    @Override
    public String toString() {
        return "Filter" + words();
    }
}
