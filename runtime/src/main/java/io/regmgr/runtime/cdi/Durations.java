package io.regmgr.runtime.cdi;

import io.regmgr.cdi.InvalidDeclarationException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of {@link RegMgrConfig}: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601. Stateless. */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * @param key the configuration key, for the message
     * @param text the value
     * @return the positive duration
     * @throws InvalidDeclarationException naming the key, the value and the accepted forms
     */
    static Duration parse(String key, String text) {
        String t = text.trim();
        Duration d = null;
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms" -> d = Duration.ofMillis(n);
                case "s" -> d = Duration.ofSeconds(n);
                case "m" -> d = Duration.ofMinutes(n);
                default -> d = Duration.ofHours(n);
            }
        } else if (t.startsWith("P") || t.startsWith("p")) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null) {
            throw new InvalidDeclarationException("Invalid " + key + " '" + text
                    + "': a duration is a whole number with a unit ms, s, m or h (500ms, 5s) or ISO-8601 (PT5S)");
        }
        if (d.isZero() || d.isNegative()) {
            throw new InvalidDeclarationException("Invalid " + key + " '" + text + "': must be positive");
        }
        return d;
    }
}
