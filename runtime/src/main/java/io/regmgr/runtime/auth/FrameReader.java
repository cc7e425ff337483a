package io.regmgr.runtime.auth;

import java.util.Arrays;

/**
 * Cuts frames ({@link AuthFrames}) out of bytes that arrive in any pieces. Like Inferno's
 * {@code getmsg} it never consumes past the frame asked for: {@link #take()} returns the bytes
 * received after the last frame, to hand to the record layer. Not thread-safe.
 *
 * <p>Limits: a payload longer than the reader's limit fails with {@code hungup} (Inferno's word
 * for an announced length too large for its buffer); a header whose length is not decimal fails
 * with {@code input or format error}. Memory held: at most one header and one payload.
 */
public final class FrameReader {
    private final int maxPayload;
    private final byte[] header = new byte[AuthFrames.HEADER];
    private int headerFill;
    private byte[] body;
    private int bodyFill;
    private boolean error;
    private byte[] rest = new byte[0];

    /** @param maxPayload the longest payload accepted, at most {@value AuthFrames#MAX_PAYLOAD} */
    public FrameReader(int maxPayload) {
        this.maxPayload = Math.min(maxPayload, AuthFrames.MAX_PAYLOAD);
    }

    /** Appends received bytes; frames come out of {@link #next()}. */
    public void feed(byte[] bytes, int off, int len) {
        byte[] joined = Arrays.copyOf(rest, rest.length + len);
        System.arraycopy(bytes, off, joined, rest.length, len);
        rest = joined;
    }

    /**
     * @return the next whole frame, or null until more bytes arrive
     * @throws AuthException {@code hungup} or {@code input or format error} for a bad header
     */
    public AuthFrames.Frame next() {
        int pos = 0;
        while (headerFill < AuthFrames.HEADER && pos < rest.length) {
            header[headerFill++] = rest[pos++];
        }
        if (headerFill == AuthFrames.HEADER && body == null) {
            startBody();
        }
        if (body != null) {
            int n = Math.min(body.length - bodyFill, rest.length - pos);
            System.arraycopy(rest, pos, body, bodyFill, n);
            bodyFill += n;
            pos += n;
        }
        rest = Arrays.copyOfRange(rest, pos, rest.length);
        if (body == null || bodyFill < body.length) {
            return null;
        }
        AuthFrames.Frame f = new AuthFrames.Frame(error, body);
        body = null;
        headerFill = 0;
        bodyFill = 0;
        return f;
    }

    // header[5]: "%4.4d\n" or "!%3.3d\n"; the fifth byte is not checked, as in Inferno
    private void startBody() {
        error = header[0] == '!';
        int n = 0;
        for (int i = error ? 1 : 0; i < AuthFrames.HEADER - 1; i++) {
            int d = header[i] - '0';
            if (d < 0 || d > 9) {
                throw new AuthException("input or format error",
                        "frame header byte " + i + " is 0x" + Integer.toHexString(header[i] & 0xff) + ", not a digit");
            }
            n = n * 10 + d;
        }
        if (n > maxPayload) {
            throw new AuthException("hungup", "frame header announces " + n + " bytes, the limit is " + maxPayload);
        }
        body = new byte[n];
    }

    /** @return whether part of a frame has arrived and the rest not yet */
    public boolean inFrame() {
        return headerFill > 0;
    }

    /** @return the bytes received after the last whole frame, now removed from this reader */
    public byte[] take() {
        byte[] r = rest;
        rest = new byte[0];
        return r;
    }
}
