package io.regmgr.runtime.protocol;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Splits a byte stream into 9P2000 frames, decodes each with {@link StyxCodec} and pushes the
 * messages to a sink, in order.
 *
 * <p>Bytes may arrive in any chunking, one at a time or many frames at once. A frame that lies whole
 * in a chunk is decoded in place; a partial frame is copied once into a buffer of exactly its
 * declared size, so the work is linear in the input. The declared size is checked as soon as its
 * four bytes are in: above the maximum message size it throws {@link LimitExceededException} (limit
 * {@value #LIMIT}) before any of the body is buffered; below 7 it throws
 * {@link ProtocolViolationException}.
 *
 * <p>After any exception escapes {@link #feed} (including one thrown by the sink) the reader is
 * poisoned: every later {@code feed} throws {@link IllegalStateException}. The owner is expected to
 * close the connection. Not thread-safe: one reader per connection, fed by one thread at a time. The
 * sink runs on the feeding thread and may call {@link #setMaxMessageSize}, but must not call
 * {@code feed}.
 */
public final class StyxFrameReader {

    /** The name of the limit in the {@link LimitExceededException} for an oversized frame. */
    public static final String LIMIT = "9P message size";

    private static final int SIZE_FIELD = 4;

    private final Consumer<StyxMessage> sink;
    private final byte[] sizeBytes = new byte[SIZE_FIELD];
    private int sizeFill;
    private byte[] frame;
    private int frameFill;
    private int maxMessageSize;
    private boolean poisoned;

    /**
     * @param maxMessageSize the largest frame accepted, size[4] included; at least 7
     * @param sink receives each decoded message, on the thread that calls {@link #feed}
     * @throws IllegalArgumentException if {@code maxMessageSize} is below 7
     */
    public StyxFrameReader(int maxMessageSize, Consumer<StyxMessage> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        setMaxMessageSize(maxMessageSize);
    }

    /**
     * Changes the largest frame accepted, e.g. to the msize negotiated by {@code Tversion}. It applies
     * to every frame whose size[4] has not been completely read yet.
     *
     * @param maxMessageSize the largest frame accepted, size[4] included; at least 7
     * @throws IllegalArgumentException if {@code maxMessageSize} is below 7
     */
    public void setMaxMessageSize(int maxMessageSize) {
        if (maxMessageSize < StyxCodec.HEADER_SIZE) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " is less than the minimum of "
                    + StyxCodec.HEADER_SIZE);
        }
        this.maxMessageSize = maxMessageSize;
    }

    /** @return the largest frame currently accepted */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Consumes the next bytes of the stream, delivering every frame they complete.
     *
     * @param chunk the bytes
     * @param off the index of the first byte to consume
     * @param len the number of bytes to consume
     * @throws LimitExceededException if a frame declares a size above the maximum
     * @throws ProtocolViolationException if a frame declares a size below 7 or is malformed
     * @throws IllegalStateException if an earlier call threw: the stream cannot be resynchronised
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within {@code chunk}
     */
    public void feed(byte[] chunk, int off, int len) {
        Objects.checkFromIndexSize(off, len, chunk.length);
        if (poisoned) {
            throw new IllegalStateException("9P frame reader: an earlier frame was refused; the connection must be"
                    + " closed");
        }
        try {
            int pos = off;
            int end = off + len;
            while (pos < end) {
                pos = frame != null ? fillFrame(chunk, pos, end) : startFrame(chunk, pos, end);
            }
        } catch (RuntimeException | Error e) {
            poisoned = true;
            throw e;
        }
    }

    /** @return true when bytes of an incomplete frame are buffered */
    public boolean hasPartialFrame() {
        return sizeFill > 0 || frame != null;
    }

    private int startFrame(byte[] chunk, int pos, int end) {
        if (sizeFill == 0 && end - pos >= SIZE_FIELD) {
            int size = checkedSize(WireReader.getU32(chunk, pos));
            if (end - pos >= size) {
                deliver(chunk, pos, size);
                return pos + size;
            }
            frame = new byte[size];
            return fillFrame(chunk, pos, end);
        }
        // size[4] itself is split across chunks: collect it first
        int n = Math.min(SIZE_FIELD - sizeFill, end - pos);
        System.arraycopy(chunk, pos, sizeBytes, sizeFill, n);
        sizeFill += n;
        if (sizeFill == SIZE_FIELD) {
            frame = new byte[checkedSize(WireReader.getU32(sizeBytes, 0))];
            System.arraycopy(sizeBytes, 0, frame, 0, SIZE_FIELD);
            frameFill = SIZE_FIELD;
            sizeFill = 0;
        }
        return pos + n;
    }

    private int fillFrame(byte[] chunk, int pos, int end) {
        int n = Math.min(frame.length - frameFill, end - pos);
        System.arraycopy(chunk, pos, frame, frameFill, n);
        frameFill += n;
        if (frameFill == frame.length) {
            byte[] complete = frame;
            frame = null;
            frameFill = 0;
            deliver(complete, 0, complete.length);
        }
        return pos + n;
    }

    private int checkedSize(int rawSize) {
        long size = Integer.toUnsignedLong(rawSize);
        if (size < StyxCodec.HEADER_SIZE) {
            throw new ProtocolViolationException("9P frame: declared size " + size
                    + " is less than the minimum of 7 (size[4] type[1] tag[2])");
        }
        if (size > maxMessageSize) {
            throw new LimitExceededException(LIMIT, maxMessageSize, size, "9P frame");
        }
        return (int) size;
    }

    private void deliver(byte[] buf, int off, int len) {
        sink.accept(StyxCodec.decode(buf, off, len));
    }
}
