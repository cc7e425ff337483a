package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;

import java.nio.charset.StandardCharsets;

/**
 * Parses what the bridge's {@code event} port sends, incrementally, down to one byte at a time:
 *
 * <pre>
 *   READY\n                  once, when the bridge has opened the registry's event file
 *   00000042\n               then one per (coalesced) change: %8.8d, 8 or more digits
 * </pre>
 *
 * <p>Strict: the first six bytes must be exactly {@code READY\n}; after that each line is 8 to
 * {@value #MAX_DIGITS} ASCII digits and a newline. Anything else is a
 * {@link ProtocolViolationException} naming what arrived, and the parser stays failed. At most
 * {@value #MAX_DIGITS} bytes are ever buffered.
 *
 * <p>Not thread-safe: confine an instance to one connection's thread.
 */
final class BridgeEventLines {
    /** Digits in a version line, as the 9P event file's records: {@link EventRecords}. */
    static final int MIN_DIGITS = EventRecords.MIN_DIGITS;
    static final int MAX_DIGITS = EventRecords.MAX_DIGITS;

    private static final byte[] READY = "READY\n".getBytes(StandardCharsets.US_ASCII);

    /** Receives what the parser recognises. */
    interface Sink {
        /** {@code READY\n} arrived. */
        void ready();

        /** A version line arrived. */
        void version(long version);
    }

    private final String source;
    private final Sink sink;
    private final StringBuilder line = new StringBuilder(MAX_DIGITS);
    private boolean ready;
    private boolean failed;

    /**
     * @param source where the bytes come from, for messages, e.g. {@code "event port tcp!h!6703"}
     * @param sink receives READY and each version
     */
    BridgeEventLines(String source, Sink sink) {
        this.source = source;
        this.sink = sink;
    }

    /** @return whether {@code READY\n} has arrived */
    boolean isReady() {
        return ready;
    }

    /**
     * @param bytes the next bytes from the event port
     * @throws ProtocolViolationException if they break the format above
     */
    void feed(byte[] bytes) {
        if (failed) {
            throw new IllegalStateException(source + ": event parser failed on an earlier error");
        }
        try {
            for (byte b : bytes) {
                accept(b);
            }
        } catch (ProtocolViolationException e) {
            failed = true;
            throw e;
        }
    }

    private void accept(byte b) {
        if (!ready) {
            acceptReady(b);
        } else if (b == '\n') {
            endVersion();
        } else if (b >= '0' && b <= '9' && line.length() < MAX_DIGITS) {
            line.append((char) b);
        } else {
            throw violation(b >= '0' && b <= '9'
                    ? "a version line longer than " + MAX_DIGITS + " digits"
                    : "byte " + describe(b) + " in a version line after '" + line + "'",
                    "a version line is " + MIN_DIGITS + " or more digits and a newline");
        }
    }

    private void acceptReady(byte b) {
        int at = line.length();
        if (b != READY[at]) {
            throw violation("'" + line + "' then byte " + describe(b) + " instead of READY\\n",
                    "the event port must start with exactly READY\\n");
        }
        if (b == '\n') {
            ready = true;
            line.setLength(0);
            sink.ready();
        } else {
            line.append((char) b);
        }
    }

    private void endVersion() {
        if (line.length() < MIN_DIGITS) {
            throw violation("version line '" + line + "'", "a version line is " + MIN_DIGITS
                    + " or more digits and a newline");
        }
        long version = Long.parseLong(line, 0, line.length(), 10);
        if (version > EventRecords.MAX_VERSION) {
            throw violation("version line '" + line + "'", "a version is at most " + EventRecords.MAX_VERSION);
        }
        line.setLength(0);
        sink.version(version);
    }

    private ProtocolViolationException violation(String got, String rule) {
        return new ProtocolViolationException("Invalid data from the line bridge's " + source + ": " + got
                + " (" + rule + ")");
    }

    private static String describe(byte b) {
        int v = b & 0xff;
        return v >= 0x21 && v < 0x7f ? "'" + (char) v + "'" : String.format("0x%02x", v);
    }
}
