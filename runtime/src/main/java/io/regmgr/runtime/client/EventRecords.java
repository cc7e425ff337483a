package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryNames;

import java.nio.charset.StandardCharsets;

/**
 * Parses what a read of the registry's {@code event} file returns: one version line written with
 * {@code %8.8d\n}, i.e. at least eight decimal digits (more once the version passes 99999999) and a
 * newline, nothing else. Stateless.
 */
final class EventRecords {
    /** {@code %8.8d} pads to eight digits. */
    static final int MIN_DIGITS = 8;
    /** A u32 version has at most ten digits. */
    static final int MAX_DIGITS = 10;
    /** The largest version: the registry's counter is a 32-bit integer, as is 9P's {@code qid.vers}. */
    static final long MAX_VERSION = 0xFFFF_FFFFL;

    private EventRecords() {
    }

    /**
     * @param data the bytes of one event read
     * @param address the registry, for the message
     * @return the version
     * @throws ProtocolViolationException if {@code data} is not exactly one version line
     */
    static long parseVersion(byte[] data, String address) {
        int digits = data.length - 1;
        boolean ok = digits >= MIN_DIGITS && digits <= MAX_DIGITS && data[digits] == '\n';
        long version = 0;
        for (int i = 0; ok && i < digits; i++) {
            ok = data[i] >= '0' && data[i] <= '9';
            version = version * 10 + (data[i] - '0');
        }
        if (!ok || version > MAX_VERSION) {
            String shown = RegistryNames.printable(new String(data, StandardCharsets.ISO_8859_1));
            throw new ProtocolViolationException("9P from " + address + ": event record '" + shown + "' ("
                    + data.length + " bytes) is not a version line (%8.8d\\n: 8 to 10 decimal digits, a newline)");
        }
        return version;
    }
}
