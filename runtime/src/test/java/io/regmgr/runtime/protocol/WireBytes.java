package io.regmgr.runtime.protocol;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;

/** Test helpers for writing frames by hand as hex. */
final class WireBytes {
    private WireBytes() {
    }

    /** @return the bytes of {@code hex}, blanks ignored, e.g. {@code "0b000000 78 0c00 01000000"} */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** @return {@code bytes} as lower-case hex */
    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * For rejection tests only (golden frames are written out in full): prefixes the hex of
     * type[1] tag[2] and the fields with the correct size[4].
     */
    static byte[] frame(String typeTagAndFields) {
        byte[] body = hex(typeTagAndFields);
        int size = body.length + 4;
        byte[] frame = new byte[size];
        frame[0] = (byte) size;
        frame[1] = (byte) (size >>> 8);
        frame[2] = (byte) (size >>> 16);
        frame[3] = (byte) (size >>> 24);
        System.arraycopy(body, 0, frame, 4, body.length);
        return frame;
    }

    /** @return the arrays, back to back */
    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
