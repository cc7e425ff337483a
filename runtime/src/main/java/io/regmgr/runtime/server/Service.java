package io.regmgr.runtime.server;

import io.regmgr.Attributes;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.RegistryLines;

/**
 * One registration as the registry holds it: created unnamed when {@code new} is opened, named
 * by its first write. Confined to the registry's thread.
 */
final class Service {
    final long id;
    final String owner;
    /** The handle that created it (closing that handle unregisters it); null for static services. */
    final Object creator;
    String name;
    private Attributes attributes = Attributes.empty();
    /** Counts successful writes: the file's {@code qid.vers}. */
    int vers;
    long atime;
    long mtime;
    boolean removed;
    /** This service's index line, kept until its next write: index renders are then concatenations. */
    private String line;

    Service(long id, String owner, Object creator, long now) {
        this.id = id;
        this.owner = owner;
        this.creator = creator;
        this.atime = now;
        this.mtime = now;
    }

    /** The service file's qid path: {@code (id << 4) | 5}. */
    long qidPath() {
        return (id << RegistryState.SHIFT) | RegistryState.QSVC;
    }

    /**
     * Whether the service survives the clunk of its creator: attribute {@code persist} read as
     * Limbo's {@code int} conversion reads it ({@code "1"} is persistent, {@code "yes"} is 0).
     */
    boolean persistent() {
        return attributes.get("persist").map(Service::limboInt).orElse(0L) != 0;
    }

    ServiceEntry entry() {
        return new ServiceEntry(name, attributes);
    }

    Attributes attributes() {
        return attributes;
    }

    /** Sets the attributes, as a successful write does. */
    void setAttributes(Attributes attributes) {
        this.attributes = attributes;
        this.line = null;
    }

    /** @return the service's line in {@code index}, newline included */
    String line() {
        if (line == null) {
            line = RegistryLines.format(entry()) + "\n";
        }
        return line;
    }

    /** Limbo's string-to-int: optional blanks, optional sign, then decimal digits; the rest ignored. */
    static long limboInt(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -v : v;
    }
}
