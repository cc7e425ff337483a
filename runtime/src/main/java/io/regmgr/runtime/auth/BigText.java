package io.regmgr.runtime.auth;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * Big integers as Inferno writes them in keys, certificates and the handshake: the magnitude as
 * big-endian bytes, one 0x00 byte in front when the top bit is set, padded base64. Stateless.
 */
public final class BigText {
    /** The largest decoded number, in bytes (Inferno's {@code base64tobig} buffer). */
    public static final int MAX_BYTES = 768;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private BigText() {
    }

    /** @return the canonical text of {@code x >= 0} (sign byte when the top bit is set) */
    public static String encode(BigInteger x) {
        return Base64.getEncoder().encodeToString(x.toByteArray());
    }

    /** @return the text of {@code x >= 0} without a sign byte, as Inferno's {@code iptob64} writes it */
    public static String encodeUnsigned(BigInteger x) {
        byte[] b = x.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    /** @return whether {@code text} is how {@link #encodeUnsigned} writes {@code x}, not {@link #encode} */
    public static boolean isUnsignedForm(String text, BigInteger x) {
        return !text.equals(encode(x)) && text.equals(encodeUnsigned(x));
    }

    /**
     * Decodes the text up to the first newline, ignoring characters outside the base64 alphabet
     * ({@code =} included) and accepting an unpadded tail, as Inferno does.
     *
     * @param what the field, for the error
     * @throws AuthException when the number exceeds {@value #MAX_BYTES} bytes
     */
    public static BigInteger decode(String text, String what) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length() * 3 / 4 + 1);
        int acc = 0;
        int bits = 0;
        for (int i = 0; i < line.length(); i++) {
            int v = ALPHABET.indexOf(line.charAt(i));
            if (v < 0) {
                continue;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.write((acc >> bits) & 0xff);
            }
        }
        byte[] b = out.toByteArray();
        BigInteger x = new BigInteger(1, b);
        if ((x.bitLength() + 7) / 8 > MAX_BYTES) {
            throw new AuthException("input or format error", what + " has " + (x.bitLength() + 7) / 8
                    + " bytes, the limit is " + MAX_BYTES);
        }
        return x;
    }

    /** @return the minimal big-endian bytes of {@code x >= 0}, no sign byte (a DH secret) */
    public static byte[] unsignedBytes(BigInteger x) {
        byte[] b = x.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
