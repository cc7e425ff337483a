package io.regmgr.runtime.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The framing of every message before the record layer (Inferno's {@code sendmsg}/{@code senderr}):
 * {@code %4.4d\n} + payload for a message, {@code !%3.3d\n} + text for an error. Stateless.
 */
public final class AuthFrames {
    /** Header bytes of every frame. */
    public static final int HEADER = 5;
    /** Largest payload a normal frame may carry (Inferno's {@code Maxmsg} less the NUL). */
    public static final int MAX_PAYLOAD = 4095;
    /** Largest error text: three decimal digits. */
    public static final int MAX_ERROR = 999;

    private AuthFrames() {
    }

    /**
     * One received frame.
     *
     * @param error whether it was an error frame ({@code !NNN\n})
     * @param payload its bytes
     */
    public record Frame(boolean error, byte[] payload) {
        /** @return the payload as Latin-1 text (Inferno's texts are ASCII) */
        public String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        /** @return whether this is exactly the message {@code OK} */
        public boolean isOk() {
            return !error && payload.length == 2 && payload[0] == 'O' && payload[1] == 'K';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.error == error && Arrays.equals(f.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload) * 31 + (error ? 1 : 0);
        }

        @Override
        public String toString() {
            return (error ? "error frame of " : "frame of ") + payload.length + " bytes";
        }
    }

    /**
     * @param payload at most {@value #MAX_PAYLOAD} bytes
     * @return header + payload
     * @throws AuthException when the payload is too long
     */
    public static byte[] message(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new AuthException("message too long", payload.length + " bytes, the limit is " + MAX_PAYLOAD);
        }
        return withHeader(String.format("%04d\n", payload.length), payload);
    }

    /** @return {@link #message(byte[])} of the Latin-1 bytes of {@code text} */
    public static byte[] message(String text) {
        return message(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * @param text the error text as Inferno sends it (with its {@code remote: } prefix); cut to
     *     {@value #MAX_ERROR} bytes
     * @return {@code !NNN\n} + text
     */
    public static byte[] error(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length > MAX_ERROR) {
            b = Arrays.copyOf(b, MAX_ERROR);
        }
        return withHeader(String.format("!%03d\n", b.length), b);
    }

    /**
     * Tells an authenticating listener's first bytes from 9P: a frame header, four decimal digits
     * (or {@code !} and three) and a newline, where a 9P reply would start with its size.
     *
     * @param bytes the first bytes a peer sent
     * @return whether they start with an authentication frame's header
     */
    public static boolean startsOne(byte[] bytes) {
        if (bytes.length < HEADER || bytes[HEADER - 1] != '\n') {
            return false;
        }
        for (int i = 0; i < HEADER - 1; i++) {
            boolean digit = bytes[i] >= '0' && bytes[i] <= '9';
            if (!digit && !(i == 0 && bytes[i] == '!')) {
                return false;
            }
        }
        return true;
    }

    private static byte[] withHeader(String header, byte[] payload) {
        byte[] out = Arrays.copyOf(header.getBytes(StandardCharsets.ISO_8859_1), HEADER + payload.length);
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }
}
