package io.regmgr.runtime.server;

import io.regmgr.Attributes;
import io.regmgr.InvalidEntryException;
import io.regmgr.LimitExceededException;
import io.regmgr.ServiceEntry;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an attrdb(6) file, the format of {@code ndb/registry -f}: entries of {@code attr=value}
 * pairs, an entry's continuation lines indented, {@code #} to the end of a line ignored, values
 * quoted with {@code '} or {@code "} (a doubled quote inside stands for one). A single physical file
 * is read; {@code database}/{@code file=} indirection is not followed.
 */
final class AttrDb {
    /** Largest file accepted. */
    static final long MAX_FILE_SIZE = 16L << 20;

    private static final System.Logger LOG = System.getLogger(AttrDb.class.getName());

    private AttrDb() {
    }

    /** One entry: its pairs in order (an attribute may repeat). */
    record Entry(List<Map.Entry<String, String>> pairs, int line) {
        String first(String attr) {
            return pairs.stream().filter(p -> p.getKey().equals(attr)).map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    static List<Entry> read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new LimitExceededException("file size", MAX_FILE_SIZE, size, "static services file " + file);
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<Map.Entry<String, String>> current = null;
        int lineNo = 0;
        int entryLine = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            List<Map.Entry<String, String>> pairs = pairs(line, lineNo);
            if (pairs.isEmpty()) {
                continue;
            }
            boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (!continuation || current == null) {
                if (current != null) {
                    entries.add(new Entry(List.copyOf(current), entryLine));
                }
                current = new ArrayList<>();
                entryLine = lineNo;
            }
            current.addAll(pairs);
        }
        if (current != null) {
            entries.add(new Entry(List.copyOf(current), entryLine));
        }
        return entries;
    }

    /**
     * The services of a database, as registry(4) loads them: each entry with a {@code service}
     * attribute, named by its first one, carrying every other pair. Invalid entries are skipped
     * with a warning.
     */
    static List<ServiceEntry> services(List<Entry> entries) {
        List<ServiceEntry> services = new ArrayList<>();
        for (Entry e : entries) {
            String name = e.first("service");
            if (name == null) {
                continue;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            e.pairs().stream().filter(p -> !p.getKey().equals("service")).forEach(p -> attrs.put(p.getKey(), p.getValue()));
            try {
                services.add(new ServiceEntry(name, Attributes.of(attrs)));
            } catch (InvalidEntryException ex) {
                LOG.log(Level.WARNING, "static service at line " + e.line() + " skipped: " + ex.getMessage());
            }
        }
        return services;
    }

    private static List<Map.Entry<String, String>> pairs(String line, int lineNo) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        int[] pos = {0};
        while (true) {
            skipBlanks(line, pos);
            if (pos[0] >= line.length() || line.charAt(pos[0]) == '#') {
                return pairs;
            }
            String attr = word(line, pos, lineNo);
            String value = "";
            if (pos[0] < line.length() && line.charAt(pos[0]) == '=') {
                pos[0]++;
                value = pos[0] < line.length() && !isBlank(line.charAt(pos[0])) ? word(line, pos, lineNo) : "";
            }
            pairs.add(Map.entry(attr, value));
        }
    }

    /** A bare or quoted word, ending at a blank, {@code =}, {@code #} or the end of the line. */
    private static String word(String line, int[] pos, int lineNo) {
        StringBuilder b = new StringBuilder();
        int i = pos[0];
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                i = quoted(line, i, b, lineNo);
            } else if (isBlank(c) || c == '=' || c == '#') {
                break;
            } else {
                b.append(c);
                i++;
            }
        }
        pos[0] = i;
        return b.toString();
    }

    /** Appends the quoted text starting at {@code open}; returns the index after the closing quote. */
    private static int quoted(String line, int open, StringBuilder b, int lineNo) {
        char q = line.charAt(open);
        int i = open + 1;
        while (i < line.length()) {
            char d = line.charAt(i);
            if (d != q) {
                b.append(d);
                i++;
            } else if (i + 1 < line.length() && line.charAt(i + 1) == q) {
                b.append(q);
                i += 2;
            } else {
                return i + 1;
            }
        }
        throw new InvalidEntryException("attrdb line " + lineNo + ": unterminated " + q + " quote");
    }

    private static void skipBlanks(String line, int[] pos) {
        while (pos[0] < line.length() && isBlank(line.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
