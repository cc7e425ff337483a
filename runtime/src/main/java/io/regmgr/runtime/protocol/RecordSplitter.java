package io.regmgr.runtime.protocol;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Splits a line-oriented registry stream into records, incrementally: feed it text or bytes in
 * chunks of any size, down to one byte at a time, and it passes each complete record (without its
 * terminating newline) to a callback.
 *
 * <p>A record ends only at a newline <em>outside</em> quotes: the registry writes a newline inside a
 * quoted value raw, and it belongs to the record. The quote state is the parity of the {@code '}
 * characters seen since the record began ({@code ''} inside quotes, an escaped quote, toggles twice
 * and leaves it unchanged), which is exactly the state {@link Quoting#unquote} is in at that point.
 * A carriage return is an ordinary character and stays in the record. Every record is passed on,
 * empty ones included; each character is examined once, so splitting is linear in the input.
 *
 * <p>Bytes are decoded as UTF-8. A multi-byte sequence may be split across chunks; the incomplete
 * tail (at most 3 bytes) is kept until the next chunk. Malformed UTF-8 is handled by the
 * {@link MalformedUtf8} policy: {@link MalformedUtf8#REPLACE} (the default, for a client reading a
 * registry, which mangles invalid UTF-8 itself) turns each malformed sequence into U+FFFD;
 * {@link MalformedUtf8#REJECT} (for a server reading a client) throws a
 * {@link ProtocolViolationException}. Because {@code '} and newline are ASCII and never occur inside
 * a multi-byte sequence, decoding first and splitting after gives the same records as splitting the
 * bytes and decoding each record.
 *
 * <p>Record length is bounded: a record whose UTF-8 length (not counting its newline) would exceed
 * the maximum given to the constructor is refused with a {@link LimitExceededException} (limit
 * {@code "line length"}) as soon as its first excess character arrives, so no more than the maximum
 * is ever buffered. The length of text fed as characters counts each surrogate as 2 bytes.
 *
 * <p>Lifecycle: {@code feed} any number of times, then {@link #finish()} once at end of stream.
 * Any exception thrown from {@code feed} or {@code finish}, including one thrown by the callback,
 * leaves the splitter failed: later calls throw {@link IllegalStateException}.
 *
 * <p>Not thread-safe: confine an instance to one stream and one thread (e.g. a connection's event
 * loop), or synchronize externally. The callback runs on the thread that feeds.
 */
public final class RecordSplitter {
    /**
     * A default maximum record length in bytes, 64 KiB: a service line can outgrow one 8 KiB
     * registration write through later updates, yet stays far below this.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 65_536;

    /** What to do with bytes that are not valid UTF-8. */
    public enum MalformedUtf8 {
        /** Replace each malformed sequence with U+FFFD and go on. */
        REPLACE,
        /** Throw a {@link ProtocolViolationException}. */
        REJECT
    }

    private enum State { OPEN, FINISHED, FAILED }

    /** Capacity kept between records; a larger buffer is released once its record is emitted. */
    private static final int RETAINED_CAPACITY = 8192;

    private final long maxRecordBytes;
    private final String context;
    private final Consumer<String> onRecord;
    private final CharsetDecoder decoder;
    private final CharBuffer decoded = CharBuffer.allocate(1024);
    private final byte[] carry = new byte[4];
    private int carryLength;
    private StringBuilder record = new StringBuilder();
    private long recordBytes;
    private boolean inQuote;
    private State state = State.OPEN;

    /**
     * Creates a splitter that replaces malformed UTF-8 with U+FFFD.
     *
     * @param maxRecordBytes the largest record accepted, in UTF-8 bytes without the newline, at
     *     least 1 (see {@link #DEFAULT_MAX_RECORD_BYTES})
     * @param context what the stream is, for error messages (e.g. {@code "find answer from
     *     tcp!reg!6702"})
     * @param onRecord receives each complete record, without its newline
     * @throws IllegalArgumentException if {@code maxRecordBytes} is below 1
     */
    public RecordSplitter(int maxRecordBytes, String context, Consumer<String> onRecord) {
        this(maxRecordBytes, context, MalformedUtf8.REPLACE, onRecord);
    }

    /**
     * Creates a splitter.
     *
     * @param maxRecordBytes the largest record accepted, in UTF-8 bytes without the newline, at
     *     least 1 (see {@link #DEFAULT_MAX_RECORD_BYTES})
     * @param context what the stream is, for error messages
     * @param malformed what to do with bytes that are not valid UTF-8
     * @param onRecord receives each complete record, without its newline
     * @throws IllegalArgumentException if {@code maxRecordBytes} is below 1
     */
    public RecordSplitter(int maxRecordBytes, String context, MalformedUtf8 malformed, Consumer<String> onRecord) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1, not " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
        this.context = Objects.requireNonNull(context, "context");
        this.onRecord = Objects.requireNonNull(onRecord, "onRecord");
        CodingErrorAction action = malformed == MalformedUtf8.REPLACE ? CodingErrorAction.REPLACE
                : CodingErrorAction.REPORT;
        this.decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(action)
                .onUnmappableCharacter(action);
    }

    /**
     * Feeds decoded text.
     *
     * @param chunk the next characters of the stream; a surrogate pair may be split across chunks
     * @throws LimitExceededException (limit {@code "line length"}) if a record grows too long
     * @throws IllegalStateException if the splitter has finished or failed, or if bytes fed
     *     earlier end in an incomplete UTF-8 sequence
     */
    public void feed(CharSequence chunk) {
        Objects.requireNonNull(chunk, "chunk");
        requireOpen();
        if (carryLength > 0) {
            throw new IllegalStateException(context + ": text fed after bytes that end in an incomplete UTF-8 sequence");
        }
        guarded(() -> scan(chunk));
    }

    /**
     * Feeds bytes, decoded as UTF-8.
     *
     * @param bytes holds the next bytes of the stream
     * @param offset where they start
     * @param length how many there are
     * @throws LimitExceededException (limit {@code "line length"}) if a record grows too long
     * @throws ProtocolViolationException if the bytes are not UTF-8 and the policy is
     *     {@link MalformedUtf8#REJECT}
     * @throws IllegalStateException if the splitter has finished or failed
     * @throws IndexOutOfBoundsException if offset and length do not fit {@code bytes}
     */
    public void feed(byte[] bytes, int offset, int length) {
        feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /**
     * Feeds bytes, decoded as UTF-8. Consumes the buffer: its position advances to its limit.
     *
     * @param bytes the next bytes of the stream, from position to limit
     * @throws LimitExceededException (limit {@code "line length"}) if a record grows too long
     * @throws ProtocolViolationException if the bytes are not UTF-8 and the policy is
     *     {@link MalformedUtf8#REJECT}
     * @throws IllegalStateException if the splitter has finished or failed
     */
    public void feed(ByteBuffer bytes) {
        Objects.requireNonNull(bytes, "bytes");
        requireOpen();
        guarded(() -> decode(bytes, false));
    }

    /**
     * @return whether characters (or bytes of an incomplete UTF-8 sequence) have arrived since the
     *     last complete record
     */
    public boolean hasPartialRecord() {
        return record.length() > 0 || carryLength > 0;
    }

    /**
     * Ends the stream and takes the unterminated last record, if any: a find answer read until end
     * of stream may lack its final newline, and a record with an unbalanced quote runs to the end
     * (its newlines included), as the registry reads it. An incomplete UTF-8 sequence at the end is
     * malformed input. Calling it again returns empty.
     *
     * @return the record after the last newline, if it is not empty
     * @throws LimitExceededException if an incomplete UTF-8 sequence pushes the tail over the limit
     * @throws ProtocolViolationException if the stream ends inside a UTF-8 sequence and the policy
     *     is {@link MalformedUtf8#REJECT}
     * @throws IllegalStateException if the splitter has failed
     */
    public Optional<String> finish() {
        if (state == State.FINISHED) {
            return Optional.empty();
        }
        requireOpen();
        guarded(() -> decode(ByteBuffer.allocate(0), true));
        state = State.FINISHED;
        if (record.length() == 0) {
            return Optional.empty();
        }
        return Optional.of(takeRecord());
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException(context + (state == State.FAILED
                    ? ": record splitter failed on an earlier error" : ": record splitter already finished"));
        }
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
    }

    // Decodes [carry + bytes] into the reusable char buffer, scanning each batch of characters.
    private void decode(ByteBuffer bytes, boolean endOfInput) {
        ByteBuffer in = withCarry(bytes);
        CoderResult result;
        do {
            result = decoder.decode(in, decoded, endOfInput);
            if (result.isError()) {
                throw malformed(result);
            }
            drainDecoded();
        } while (result.isOverflow());
        if (endOfInput) {
            while (decoder.flush(decoded).isOverflow()) {
                drainDecoded();
            }
            drainDecoded();
        }
        // An incomplete sequence at the end of the chunk waits for the next one.
        carryLength = in.remaining();
        in.get(carry, 0, carryLength);
    }

    private ByteBuffer withCarry(ByteBuffer bytes) {
        if (carryLength == 0) {
            return bytes;
        }
        ByteBuffer joined = ByteBuffer.allocate(carryLength + bytes.remaining());
        joined.put(carry, 0, carryLength).put(bytes).flip();
        carryLength = 0;
        return joined;
    }

    private void drainDecoded() {
        decoded.flip();
        scan(decoded);
        decoded.clear();
    }

    private ProtocolViolationException malformed(CoderResult result) {
        return new ProtocolViolationException(context + ": malformed UTF-8 (" + result.length()
                + " bad byte(s)) in a record after " + recordBytes + " bytes");
    }

    private void scan(CharSequence chars) {
        int start = 0;
        int n = chars.length();
        for (int i = 0; i < n; i++) {
            char c = chars.charAt(i);
            if (c == '\n' && !inQuote) {
                record.append(chars, start, i);
                start = i + 1;
                onRecord.accept(takeRecord());
            } else {
                if (c == '\'') {
                    inQuote = !inQuote;
                }
                count(c);
            }
        }
        record.append(chars, start, n);
    }

    private void count(char c) {
        recordBytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        if (recordBytes > maxRecordBytes) {
            throw new LimitExceededException("line length", maxRecordBytes, recordBytes, context);
        }
    }

    private String takeRecord() {
        String text = record.toString();
        if (record.capacity() > RETAINED_CAPACITY) {
            record = new StringBuilder();
        } else {
            record.setLength(0);
        }
        recordBytes = 0;
        inQuote = false;
        return text;
    }
}
