package io.regmgr.runtime.protocol;

import io.regmgr.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads 9P2000 fields, little-endian, from a bounded region of a byte array.
 *
 * <p>Every read first checks that the field fits before the end of the region; anything malformed
 * throws {@link ProtocolViolationException} naming the message, the field and the rule. One instance
 * reads one frame (or one stat); not thread-safe.
 */
final class WireReader {
    private final String context;
    private final byte[] buf;
    private final int end;
    private final String region;
    private int pos;

    /**
     * @param context what is being read, for error messages, e.g. {@code "Twalk"}
     * @param buf the bytes
     * @param from the first byte to read
     * @param end the index after the last byte that may be read
     * @param region the name of the region for error messages, e.g. {@code "the frame"}
     */
    WireReader(String context, byte[] buf, int from, int end, String region) {
        this.context = context;
        this.buf = buf;
        this.pos = from;
        this.end = end;
        this.region = region;
    }

    /** @return the index of the next byte to read */
    int position() {
        return pos;
    }

    /** @return how many bytes are left before the end of the region */
    int remaining() {
        return end - pos;
    }

    int u8(String field) {
        need(1, field);
        return buf[pos++] & 0xFF;
    }

    int u16(String field) {
        need(2, field);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    /** @return a u32 as a bit pattern */
    int u32(String field) {
        need(4, field);
        int v = getU32(buf, pos);
        pos += 4;
        return v;
    }

    /** @return a u32 as 0..2<sup>32</sup>-1 */
    long u32AsLong(String field) {
        return Integer.toUnsignedLong(u32(field));
    }

    /** @return a u64 as a bit pattern */
    long u64(String field) {
        need(8, field);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** s[2]: a length, then that many bytes of strictly valid UTF-8. */
    String string(String field) {
        int len = u16(field + " length");
        fits(len, field + " length");
        String s = decodeUtf8(field, len);
        pos += len;
        return s;
    }

    /** count[4] data[count], with {@code field} naming the count. */
    byte[] counted(String field) {
        long count = u32AsLong(field);
        fits(count, field);
        byte[] data = Arrays.copyOfRange(buf, pos, pos + (int) count);
        pos += (int) count;
        return data;
    }

    /** nwname[2] or nwqid[2]: at most {@link StyxMessage#MAXWELEM}. */
    int walkCount(String field) {
        int n = u16(field);
        if (n > StyxMessage.MAXWELEM) {
            throw violation(field + " " + n + " exceeds the maximum of " + StyxMessage.MAXWELEM);
        }
        return n;
    }

    /** qid[13]: type[1] vers[4] path[8]. */
    Qid qid(String field) {
        need(Qid.WIRE_SIZE, field);
        return new Qid(u8(field), u32(field), u64(field));
    }

    /**
     * One stat entry: size[2] type[2] dev[4] qid[13] mode[4] atime[4] mtime[4] length[8] name[s]
     * uid[s] gid[s] muid[s]; {@code size} must equal the length of the fields after it.
     */
    Stat stat() {
        int size = u16("stat size");
        WireReader in = slice(size, "stat size", "the stat entry");
        Stat stat = new Stat(in.u16("stat type"), in.u32("stat dev"), in.qid("stat qid"), in.u32("stat mode"),
                in.u32AsLong("stat atime"), in.u32AsLong("stat mtime"), in.u64("stat length"),
                in.string("stat name"), in.string("stat uid"), in.string("stat gid"), in.string("stat muid"));
        if (in.remaining() != 0) {
            throw violation("stat size " + size + " but its fields take " + (size - in.remaining()) + " bytes");
        }
        return stat;
    }

    /** stat[n] (Rstat, Twstat): n[2], then one stat entry whose own size[2] must be n - 2. */
    Stat wrappedStat() {
        int n = u16("stat n");
        WireReader in = slice(n, "stat n", "stat[n]");
        Stat stat = in.stat();
        if (in.remaining() != 0) {
            throw violation("stat n " + n + " but the stat entry inside takes " + (n - in.remaining()) + " bytes");
        }
        return stat;
    }

    /**
     * @param len the length of the sub-region, just read from a field
     * @param field the name of that length field
     * @param name the name of the sub-region, for error messages
     * @return a reader of the next {@code len} bytes; this reader skips them
     */
    WireReader slice(int len, String field, String name) {
        fits(len, field);
        WireReader in = new WireReader(context, buf, pos, pos + len, name);
        pos += len;
        return in;
    }

    /** @return the u32 at {@code at}, as a bit pattern; the caller has checked the bounds */
    static int getU32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private String decodeUtf8(String field, int len) {
        ByteBuffer in = ByteBuffer.wrap(buf, pos, len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            // the decoder leaves the buffer at the start of the bad sequence
            throw violation(field + " is not valid UTF-8 (bad byte sequence at offset " + (in.position() - pos)
                    + " of " + len + ")");
        }
    }

    private void need(int n, String field) {
        if (end - pos < n) {
            throw violation(field + " needs " + n + " bytes but only " + (end - pos) + " remain in " + region);
        }
    }

    private void fits(long count, String field) {
        if (count > end - pos) {
            throw violation(field + " " + count + " runs past the end of " + region + " (" + (end - pos)
                    + " bytes remain)");
        }
    }

    private ProtocolViolationException violation(String detail) {
        return new ProtocolViolationException(context + ": " + detail);
    }
}
