package io.regmgr.runtime.protocol;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.InvalidEntryException;
import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;

/**
 * The registry's line format: a service is {@code name attr value attr value ...}, each word quoted
 * with {@link Quoting} (Inferno {@code %q}); updates are {@code attr value ...}; a filter is
 * {@code attr value ...} where the value {@code *} matches any value.
 *
 * <p>Formatting takes already valid model objects and never fails on them. Parsing a service line
 * reads a peer's output, so anything malformed is a {@link ProtocolViolationException}; parsing a
 * filter reads a request, so a bad one is an {@link InvalidEntryException}, as the registry answers
 * {@code odd attribute/value pairs}. Attribute order on a line carries no meaning; when a line
 * repeats an attribute, the later value wins.
 *
 * <p>Stateless and thread-safe; every method runs in time linear in its input.
 */
public final class RegistryLines {
    private static final String LISTING = "Registry listing";

    private RegistryLines() {
    }

    /**
     * @param entry a service
     * @return its line {@code name attr value ...}, quoted, without a trailing newline
     */
    public static String format(ServiceEntry entry) {
        StringBuilder out = Quoting.appendQuoted(new StringBuilder(), entry.name());
        return appendPairs(out, entry.attributes()).toString();
    }

    /**
     * @param entry a service
     * @return its line {@code name attr value ...}, quoted, with a trailing newline
     */
    public static String formatLine(ServiceEntry entry) {
        return format(entry) + "\n";
    }

    /**
     * Formats an update write: the attributes to add or replace on a registered service.
     *
     * @param changes the attributes, at least one
     * @return {@code attr value ...}, quoted, without a trailing newline
     * @throws InvalidEntryException if {@code changes} is empty: an empty write is a {@code bad
     *     syntax} error, and on a line bridge it ends the registration
     */
    public static String formatUpdate(Attributes changes) {
        if (changes.isEmpty()) {
            throw new InvalidEntryException("Invalid update: no attributes (the registry answers an empty write"
                    + " with 'bad syntax', and a line bridge then drops the registration)");
        }
        return appendPairs(new StringBuilder(), changes).toString();
    }

    /**
     * @param filter a filter
     * @return its words {@code attr value ...}, quoted; empty for {@link Filter#all()}
     */
    public static String formatFilter(Filter filter) {
        return Quoting.join(filter.words());
    }

    /**
     * Parses a filter as the registry's {@code find} file reads one.
     *
     * @param text the filter text; blank means {@link Filter#all()}
     * @return the filter
     * @throws InvalidEntryException if the number of words is odd ({@code odd attribute/value
     *     pairs}), or a word contains NUL or malformed UTF-16
     */
    public static Filter parseFilter(String text) {
        List<String> words = Quoting.unquote(text);
        if (words.size() % 2 != 0) {
            throw new InvalidEntryException("Invalid filter '" + RegistryNames.printable(text)
                    + "': odd attribute/value pairs (" + words.size() + " words): a filter is attribute/value pairs");
        }
        return Filter.of(words);
    }

    /**
     * Parses one service line as the registry writes it (without its newline; a newline inside
     * quotes is part of a value).
     *
     * @param record the line
     * @return the service; a repeated attribute takes its later value
     * @throws ProtocolViolationException if the line is empty or blank, has an attribute without a
     *     value, or carries a name or text the registry's rules forbid
     */
    public static ServiceEntry parse(String record) {
        List<String> words = Quoting.unquote(record);
        if (words.isEmpty()) {
            throw violation(record, "empty or blank, but a service line starts with the service name");
        }
        if (words.size() % 2 == 0) {
            throw violation(record, "odd attribute/value pairs (" + (words.size() - 1)
                    + " words after the name): attributes come as attribute/value pairs");
        }
        try {
            String[] pairs = words.subList(1, words.size()).toArray(new String[0]);
            return new ServiceEntry(words.get(0), Attributes.of(pairs));
        } catch (InvalidEntryException e) {
            throw new ProtocolViolationException("Invalid service line '" + RegistryNames.printable(record)
                    + "' from the registry: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a listing (an {@code index} or {@code find} answer): records split on newlines outside
     * quotes, exactly as {@link RecordSplitter} splits a stream. Records without any word (empty
     * or only blanks and tabs) are skipped; the last record needs no newline. No line length limit
     * applies, the text being already in memory.
     *
     * @param text the listing
     * @param maxRecords the largest number of services accepted, at least 0
     * @return the services, in order; unmodifiable
     * @throws LimitExceededException (limit {@code "record count"}) for more than {@code maxRecords}
     *     services
     * @throws ProtocolViolationException if a record is not a valid service line
     * @throws IllegalArgumentException if {@code maxRecords} is negative
     */
    public static List<ServiceEntry> parseAll(CharSequence text, int maxRecords) {
        Objects.requireNonNull(text, "text");
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords must be at least 0, not " + maxRecords);
        }
        List<ServiceEntry> entries = new ArrayList<>();
        RecordSplitter splitter = new RecordSplitter(Integer.MAX_VALUE, LISTING,
                record -> addRecord(entries, record, maxRecords));
        splitter.feed(text);
        splitter.finish().ifPresent(record -> addRecord(entries, record, maxRecords));
        return List.copyOf(entries);
    }

    private static void addRecord(List<ServiceEntry> entries, String record, int maxRecords) {
        Optional<ServiceEntry> entry = parseRecord(record);
        if (entry.isEmpty()) {
            return;
        }
        if (entries.size() >= maxRecords) {
            throw new LimitExceededException("record count", maxRecords, maxRecords + 1L, LISTING);
        }
        entries.add(entry.get());
    }

    /**
     * Parses one record of a listing, as {@link #parseAll} does for each.
     *
     * @param record one record, without its newline
     * @return the service, or empty for a record holding no word (blanks, tabs, nothing)
     * @throws ProtocolViolationException as {@link #parse} does
     */
    public static Optional<ServiceEntry> parseRecord(String record) {
        return isBlank(record) ? Optional.empty() : Optional.of(parse(record));
    }

    private static boolean isBlank(String record) {
        for (int i = 0; i < record.length(); i++) {
            if (!Quoting.isSeparator(record.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static StringBuilder appendPairs(StringBuilder out, Attributes attributes) {
        for (Map.Entry<String, String> pair : attributes.asMap().entrySet()) {
            if (out.length() > 0) {
                out.append(' ');
            }
            Quoting.appendQuoted(out, pair.getKey()).append(' ');
            Quoting.appendQuoted(out, pair.getValue());
        }
        return out;
    }

    private static ProtocolViolationException violation(String record, String rule) {
        return new ProtocolViolationException("Invalid service line '" + RegistryNames.printable(record)
                + "' from the registry: " + rule);
    }
}
