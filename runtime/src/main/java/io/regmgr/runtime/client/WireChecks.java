package io.regmgr.runtime.client;

import io.regmgr.Attributes;
import io.regmgr.InvalidEntryException;
import io.regmgr.LimitExceededException;
import io.regmgr.RegistryNames;

import java.nio.charset.StandardCharsets;

/**
 * What must be refused before it reaches the wire, with a message naming the rule. Stateless.
 */
final class WireChecks {
    private WireChecks() {
    }

    /**
     * A write that must travel in one message: the registry applies a longer one partially.
     *
     * @param text what will be written
     * @param maxBytes the largest write that travels whole
     * @param what e.g. {@code "registration of tcp!h!1"}
     * @return the UTF-8 bytes
     */
    static byte[] checkFits(String text, int maxBytes, String what) {
        return checkFits(text.getBytes(StandardCharsets.UTF_8), maxBytes, what);
    }

    /**
     * @param bytes what will be written, already encoded
     * @param maxBytes the largest write that travels whole
     * @param what e.g. {@code "registration of tcp!h!1"}
     * @return {@code bytes}
     */
    static byte[] checkFits(byte[] bytes, int maxBytes, String what) {
        if (bytes.length > maxBytes) {
            throw new LimitExceededException("write size", maxBytes, bytes.length, what);
        }
        return bytes;
    }

    /** The line bridge carries one line per record: no CR or LF inside a name or a value. */
    static void checkNoLineBreaks(String serviceName, Attributes attributes) {
        attributes.asMap().forEach((attr, value) -> {
            if (hasLineBreak(attr) || hasLineBreak(value)) {
                throw new InvalidEntryException("Invalid attribute '" + RegistryNames.printable(attr) + "' of "
                        + serviceName + ": the line bridge cannot carry CR or LF in an attribute or value");
            }
        });
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }
}
