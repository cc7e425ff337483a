package io.regmgr.runtime.cdi;

import io.regmgr.cdi.InvalidDeclarationException;

import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves the configuration expressions of annotation values: {@code ${key}} and
 * {@code ${key:default}}, any number of them in one text, not nested. Stateless.
 */
final class Expressions {
    private static final String OPEN = "${";

    private Expressions() {
    }

    /**
     * @param text a value that may contain expressions
     * @param lookup configuration: key to value, empty if absent
     * @return {@code text} with every expression replaced
     * @throws InvalidDeclarationException saying which expression fails and why (without the element:
     *     the caller prefixes it)
     */
    static String resolve(String text, Function<String, Optional<String>> lookup) {
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        int open;
        while ((open = text.indexOf(OPEN, from)) >= 0) {
            int close = text.indexOf('}', open + OPEN.length());
            if (close < 0) {
                throw new InvalidDeclarationException("the expression at index " + open + " is not closed (write ${key} or ${key:default})");
            }
            out.append(text, from, open);
            out.append(value(text.substring(open + OPEN.length(), close), lookup));
            from = close + 1;
        }
        return out.append(text, from, text.length()).toString();
    }

    private static String value(String body, Function<String, Optional<String>> lookup) {
        int colon = body.indexOf(':');
        String key = (colon < 0 ? body : body.substring(0, colon)).trim();
        if (body.contains(OPEN)) {
            throw new InvalidDeclarationException("the expression ${" + body + "} holds another (expressions do not nest)");
        }
        if (key.isEmpty()) {
            throw new InvalidDeclarationException("the expression ${" + body
                    + "} has no key (write ${key} or ${key:default})");
        }
        Optional<String> found = lookup.apply(key);
        if (found.isPresent()) {
            return found.get();
        }
        if (colon >= 0) {
            return body.substring(colon + 1);
        }
        throw new InvalidDeclarationException("the expression ${" + key + "} does not resolve: no config property '"
                + key + "' and no default (set it, or write ${" + key + ":default})");
    }

    /**
     * @param text a value that may contain expressions
     * @param c the character to find
     * @return the index of the first {@code c} outside every expression, or -1
     */
    static int indexOutside(String text, char c) {
        boolean inside = false;
        for (int i = 0; i < text.length(); i++) {
            char x = text.charAt(i);
            if (!inside && x == '$' && text.startsWith(OPEN, i)) {
                inside = true;
                i++;
            } else if (inside && x == '}') {
                inside = false;
            } else if (!inside && x == c) {
                return i;
            }
        }
        return -1;
    }
}
