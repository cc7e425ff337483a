package io.regmgr.runtime.protocol;

import io.regmgr.ProtocolViolationException;
import java.util.List;

/**
 * The 9P2000 ("Styx") codec: whole frames to {@link StyxMessage}s and back, little-endian, as in
 * {@code intro(5)}. Each message type has one explicit layout, written next to its code.
 *
 * <p>Decoding trusts nothing: every field's bounds are checked before it is read, strings must be
 * strictly valid UTF-8, walks are limited to {@link StyxMessage#MAXWELEM} elements, and a frame whose
 * fields do not end exactly at its declared size is refused; each refusal is a
 * {@link ProtocolViolationException} naming the message type, the field and the rule. Encoding
 * refuses, with {@link IllegalArgumentException}, values the wire cannot carry (a tag outside
 * 0..65535, a string of more than 65535 bytes, more than 16 walk elements). The message size
 * negotiated by {@code Tversion} is the caller's business: see {@link StyxFrameReader}.
 *
 * <p>Stateless and thread-safe.
 */
public final class StyxCodec {

    /** The smallest frame: size[4] type[1] tag[2]. */
    public static final int HEADER_SIZE = 7;

    /**
     * The overhead of the largest {@code Twrite}/{@code Rread} header, rounded up as Plan 9's
     * {@code IOHDRSZ}: a read or write carries at most {@code msize - IOHDRSZ} bytes of data.
     */
    public static final int IOHDRSZ = 24;

    private StyxCodec() {
    }

    /**
     * Encodes one message.
     *
     * @param message the message
     * @return one whole frame, starting with its size[4]
     * @throws IllegalArgumentException if a value cannot be represented on the wire; the message
     *     names the field and the rule
     */
    public static byte[] encode(StyxMessage message) {
        return StyxEncoder.encode(message);
    }

    /**
     * Decodes exactly one whole frame.
     *
     * @param buf the bytes
     * @param off the index of the frame's size[4]
     * @param len the length of the frame: must equal its declared size
     * @return the message
     * @throws ProtocolViolationException if the frame is malformed in any way
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within {@code buf}
     */
    public static StyxMessage decode(byte[] buf, int off, int len) {
        return StyxDecoder.decode(buf, off, len);
    }

    /**
     * Decodes exactly one whole frame filling {@code frame}.
     *
     * @param frame the bytes of one frame
     * @return the message
     * @throws ProtocolViolationException if the frame is malformed in any way
     */
    public static StyxMessage decode(byte[] frame) {
        return StyxDecoder.decode(frame, 0, frame.length);
    }

    /**
     * Encodes one directory entry, as read from a directory: size[2] type[2] dev[4] qid[13] mode[4]
     * atime[4] mtime[4] length[8] name[s] uid[s] gid[s] muid[s].
     *
     * @param stat the entry
     * @return its bytes, starting with its size[2]
     * @throws IllegalArgumentException if a value cannot be represented on the wire
     */
    public static byte[] encodeStat(Stat stat) {
        return StyxEncoder.encodeStat(stat);
    }

    /**
     * Decodes the data of a directory read: zero or more whole stat entries back to back.
     *
     * @param data the entries, as returned by {@link #encodeStat(Stat)} and concatenated
     * @return the entries, in order; immutable
     * @throws ProtocolViolationException if an entry is malformed, its size disagrees with its
     *     fields, or the data ends inside an entry
     */
    public static List<Stat> decodeStats(byte[] data) {
        return StyxDecoder.decodeStats(data);
    }
}
