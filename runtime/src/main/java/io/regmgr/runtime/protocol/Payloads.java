package io.regmgr.runtime.protocol;

import java.util.HexFormat;

/** Formats the payload of {@code Rread}/{@code Twrite} for {@code toString()}. Stateless. */
final class Payloads {
    private static final int PREFIX = 16;

    private Payloads() {
    }

    /**
     * @param data a payload
     * @return its length and up to its first 16 bytes in hex, e.g. {@code "3 bytes 68690a"}
     */
    static String describe(byte[] data) {
        if (data.length == 0) {
            return "0 bytes";
        }
        String hex = HexFormat.of().formatHex(data, 0, Math.min(PREFIX, data.length));
        return data.length + " bytes " + hex + (data.length > PREFIX ? "..." : "");
    }
}
