package io.regmgr;

import java.util.Objects;
import java.util.Set;

/**
 * The registry's rules for service names and attribute text, checked before anything reaches the
 * wire. Stateless and thread-safe.
 *
 * <p>The rules are those of Inferno's registry(4): a service name is not empty, is not one of the
 * registry's own files ({@code new}, {@code index}, {@code find}, {@code event}) and contains no
 * character at or below U+0020, no {@code /} and no U+007F. Any text sent to the registry (names,
 * attributes, values) contains no NUL (the registry would truncate it) and is well-formed UTF-16
 * (a lone surrogate cannot be encoded as UTF-8 and would be mangled).
 */
public final class RegistryNames {
    /** The names of the registry's own files, which no service may take. */
    public static final Set<String> RESERVED = Set.of("new", "index", "find", "event");
    /** The longest monitor name: it is an attribute value of every monitor metric. */
    public static final int MAX_MONITOR_NAME = 64;
    private static final String MONITOR_NAME_RULE = " (a monitor name is 1 to " + MAX_MONITOR_NAME
            + " ASCII letters, digits, '-' and '_')";

    private RegistryNames() {
    }

    /**
     * Checks a service name.
     *
     * @param name the name to check
     * @return {@code name}, for chaining
     * @throws InvalidEntryException naming the value and the rule it breaks
     * @throws NullPointerException if {@code name} is null
     */
    public static String checkServiceName(String name) {
        Objects.requireNonNull(name, "service name");
        if (name.isEmpty()) {
            throw new InvalidEntryException("Invalid service name '': must not be empty");
        }
        if (RESERVED.contains(name)) {
            throw new InvalidEntryException("Invalid service name '" + name
                    + "': reserved for the registry's own file of that name");
        }
        checkText("service name", name);
        int i = indexOfBadNameChar(name);
        if (i >= 0) {
            throw new InvalidEntryException("Invalid service name '" + printable(name) + "': contains "
                    + describe(name.charAt(i)) + " at index " + i
                    + " (blanks, control characters and '/' are not allowed)");
        }
        return name;
    }

    /**
     * Finds the first character that a service name may not contain: one at or below U+0020,
     * {@code /} or U+007F (the registry's own rule).
     *
     * @param name a candidate service name
     * @return the index of the first such character, or -1 if there is none
     */
    public static int indexOfBadNameChar(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c == '/' || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks a monitor's name, which names it in metrics (an attribute value, so one of few): the
     * same rule as a CDI monitor's name.
     *
     * @param name the name to check
     * @return {@code name}, for chaining
     * @throws InvalidEntryException naming the value and the rule it breaks
     * @throws NullPointerException if {@code name} is null
     */
    public static String checkMonitorName(String name) {
        Objects.requireNonNull(name, "monitor name");
        if (name.isEmpty()) {
            throw new InvalidEntryException("Invalid monitor name '': must not be empty" + MONITOR_NAME_RULE);
        }
        if (name.length() > MAX_MONITOR_NAME) {
            throw new InvalidEntryException("Invalid monitor name '" + printable(name.substring(0, 16)) + "...' ("
                    + name.length() + " characters): longer than " + MAX_MONITOR_NAME + MONITOR_NAME_RULE);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 0x80 && Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                throw new InvalidEntryException("Invalid monitor name '" + printable(name) + "': contains '"
                        + printable(String.valueOf(c)) + "' at index " + i + MONITOR_NAME_RULE);
            }
        }
        return name;
    }

    /**
     * Checks text that will be sent to the registry: an attribute name, a value, a filter word.
     *
     * @param element what the text is, for the message (e.g. {@code "value of attribute 'proto'"})
     * @param text the text to check
     * @return {@code text}, for chaining
     * @throws InvalidEntryException if it contains NUL or malformed UTF-16
     * @throws NullPointerException if {@code text} is null
     */
    public static String checkText(String element, String text) {
        Objects.requireNonNull(text, element);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new InvalidEntryException("Invalid " + element + " '" + printable(text)
                        + "': contains NUL at index " + i + " (the registry would truncate it)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidEntryException("Invalid " + element + " '" + printable(text)
                        + "': malformed UTF-16 (lone surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " at index " + i + ")");
            }
        }
        return text;
    }

    /**
     * Renders text for an error message: control characters as {@code \xNN}, long text shortened.
     *
     * @param text any text
     * @return a printable, bounded rendering of it
     */
    public static String printable(String text) {
        StringBuilder b = new StringBuilder();
        int max = Math.min(text.length(), 80);
        for (int i = 0; i < max; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                b.append(String.format("\\x%02x", (int) c & 0xffff));
            } else {
                b.append(c);
            }
        }
        if (max < text.length()) {
            b.append("...(").append(text.length()).append(" chars)");
        }
        return b.toString();
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "a blank";
        }
        if (c == '/') {
            return "'/'";
        }
        return String.format("the control character \\x%02x", (int) c);
    }
}
