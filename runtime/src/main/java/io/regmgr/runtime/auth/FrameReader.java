package io.regmgr.runtime.auth;

import java.util.ArrayDeque;

/**
 * Cuts frames ({@link AuthFrames}) out of bytes that arrive in any pieces. Like Inferno's
 * {@code getmsg} it never consumes past the frame asked for: {@link #take()} returns the bytes
 * received after the last frame, to hand to the record layer. Not thread-safe.
 *
 * <p>Limits: a payload longer than the reader's limit fails with {@code hungup} (Inferno's word
 * for an announced length too large for its buffer); a header whose length is not decimal fails
 * with {@code input or format error}. Memory held: one header and one payload, plus the pieces fed
 * and not yet consumed ({@link #buffered()}), kept as fed (never copied or joined before they are
 * consumed, so feeding is linear in the bytes fed). {@link #next()} returns null only once every
 * byte fed is in the frame being assembled, so a caller that feeds only after {@code next()}
 * returned null (as {@code HandshakeDriver} does, pausing its socket meanwhile) never holds more
 * than one header, one payload and one piece.
 */
public final class FrameReader {
    private final int maxPayload;
    private final byte[] header = new byte[AuthFrames.HEADER];
    private int headerFill;
    private byte[] body;
    private int bodyFill;
    private boolean error;
    /** The pieces fed and not consumed; the first from {@link #headOff}. */
    private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
    private int headOff;
    private long buffered;

    /** @param maxPayload the longest payload accepted, at most {@value AuthFrames#MAX_PAYLOAD} */
    public FrameReader(int maxPayload) {
        this.maxPayload = Math.min(maxPayload, AuthFrames.MAX_PAYLOAD);
    }

    /** Appends received bytes (copied once); frames come out of {@link #next()}. */
    public void feed(byte[] bytes, int off, int len) {
        if (len <= 0) {
            return;
        }
        byte[] piece = new byte[len];
        System.arraycopy(bytes, off, piece, 0, len);
        pieces.addLast(piece);
        buffered += len;
    }

    /**
     * @return the next whole frame, or null until more bytes arrive (then nothing fed is left unconsumed)
     * @throws AuthException {@code hungup} or {@code input or format error} for a bad header
     */
    public AuthFrames.Frame next() {
        while (headerFill < AuthFrames.HEADER && buffered > 0) {
            header[headerFill++] = pieces.peekFirst()[headOff];
            consumed(1);
        }
        if (headerFill == AuthFrames.HEADER && body == null) {
            startBody();
        }
        while (body != null && bodyFill < body.length && buffered > 0) {
            byte[] head = pieces.peekFirst();
            int n = Math.min(body.length - bodyFill, head.length - headOff);
            System.arraycopy(head, headOff, body, bodyFill, n);
            bodyFill += n;
            consumed(n);
        }
        if (body == null || bodyFill < body.length) {
            return null;
        }
        AuthFrames.Frame f = new AuthFrames.Frame(error, body);
        body = null;
        headerFill = 0;
        bodyFill = 0;
        return f;
    }

    private void consumed(int n) {
        headOff += n;
        buffered -= n;
        if (headOff == pieces.peekFirst().length) {
            pieces.removeFirst();
            headOff = 0;
        }
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

    /** @return how many bytes fed are not consumed yet (not counting the frame being assembled) */
    public long buffered() {
        return buffered;
    }

    /** @return the bytes received after the last whole frame, now removed from this reader */
    public byte[] take() {
        byte[] r = new byte[Math.toIntExact(buffered)];
        int pos = 0;
        for (byte[] p : pieces) {
            int from = pos == 0 ? headOff : 0;
            System.arraycopy(p, from, r, pos, p.length - from);
            pos += p.length - from;
        }
        pieces.clear();
        headOff = 0;
        buffered = 0;
        return r;
    }
}
