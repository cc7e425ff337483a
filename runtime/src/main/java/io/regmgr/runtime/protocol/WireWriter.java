package io.regmgr.runtime.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends 9P2000 fields, little-endian, to a growing buffer, refusing values the wire cannot carry.
 *
 * <p>One instance builds one frame or one stat and is then dropped; not thread-safe. Refusals are
 * {@link IllegalArgumentException}s naming the message, the field and the rule: the caller built a
 * message that cannot be sent, a programming error rather than a peer's fault.
 */
final class WireWriter {
    private static final int MAX_U16 = 0xFFFF;
    private static final long MAX_U32 = 0xFFFF_FFFFL;

    private final String context;
    private byte[] buf;
    private int pos;

    /**
     * @param context what is being written, for error messages, e.g. {@code "Twalk"}
     * @param capacity the initial buffer size
     */
    WireWriter(String context, int capacity) {
        this.context = context;
        this.buf = new byte[capacity];
    }

    /** @return the number of bytes written so far */
    int position() {
        return pos;
    }

    /** @return the bytes written, in an array of exactly that length */
    byte[] toByteArray() {
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }

    WireWriter u8(String field, int value) {
        checkRange(field, value, 0xFF);
        ensure(1);
        buf[pos++] = (byte) value;
        return this;
    }

    WireWriter u16(String field, int value) {
        checkRange(field, value, MAX_U16);
        ensure(2);
        putU16At(pos, value);
        pos += 2;
        return this;
    }

    /** Writes a u32 held as a bit pattern: every {@code int} is representable. */
    WireWriter u32(int value) {
        ensure(4);
        putU32At(pos, value);
        pos += 4;
        return this;
    }

    /** Writes a u32 held as 0..2<sup>32</sup>-1 in a {@code long} (stat times). */
    WireWriter u32(String field, long value) {
        if (value < 0 || value > MAX_U32) {
            throw refuse(field + " " + value + " is outside the u32 range 0.." + MAX_U32);
        }
        return u32((int) value);
    }

    /** Writes a u64 held as a bit pattern. */
    WireWriter u64(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** s[2]: the UTF-8 length, then the UTF-8 bytes. Unpaired surrogates are refused, not replaced. */
    WireWriter string(String field, String value) {
        byte[] utf8 = utf8(field, value);
        if (utf8.length > MAX_U16) {
            throw refuse(field + " is " + utf8.length + " bytes of UTF-8; a 9P string holds at most " + MAX_U16);
        }
        u16(field, utf8.length);
        return raw(utf8);
    }

    /** count[4] data[count]. */
    WireWriter counted(byte[] data) {
        return u32(data.length).raw(data);
    }

    /** A count of walk elements, nwname[2] or nwqid[2], at most {@link StyxMessage#MAXWELEM}. */
    WireWriter walkCount(String field, int count) {
        if (count > StyxMessage.MAXWELEM) {
            throw refuse(field + " " + count + " exceeds the maximum of " + StyxMessage.MAXWELEM);
        }
        return u16(field, count);
    }

    /** qid[13]: type[1] vers[4] path[8]. */
    WireWriter qid(String field, Qid qid) {
        return u8(field + ".type", qid.type()).u32(qid.version()).u64(qid.path());
    }

    /**
     * One stat entry: size[2] type[2] dev[4] qid[13] mode[4] atime[4] mtime[4] length[8] name[s]
     * uid[s] gid[s] muid[s], where size counts the bytes after itself.
     */
    WireWriter stat(String field, Stat stat) {
        int start = pos;
        u16(field + ".size", 0);
        u16(field + ".type", stat.type()).u32(stat.dev()).qid(field + ".qid", stat.qid()).u32(stat.mode());
        u32(field + ".atime", stat.atime()).u32(field + ".mtime", stat.mtime()).u64(stat.length());
        string(field + ".name", stat.name()).string(field + ".uid", stat.uid());
        string(field + ".gid", stat.gid()).string(field + ".muid", stat.muid());
        int size = pos - start - 2;
        checkRange(field + ".size", size, MAX_U16);
        putU16At(start, size);
        return this;
    }

    /** stat[n]: n[2], then one stat entry of n bytes (Rstat, Twstat). */
    WireWriter wrappedStat(String field, Stat stat) {
        int start = pos;
        u16(field + ".n", 0);
        stat(field, stat);
        int n = pos - start - 2;
        checkRange(field + ".n", n, MAX_U16);
        putU16At(start, n);
        return this;
    }

    /** Overwrites the u32 at {@code at}: patches a size[4] once the frame is complete. */
    void putU32At(int at, int value) {
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private void putU16At(int at, int value) {
        buf[at] = (byte) value;
        buf[at + 1] = (byte) (value >>> 8);
    }

    private WireWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    private byte[] utf8(String field, String value) {
        if (isAscii(value)) {
            return value.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            // newEncoder() reports malformed input (an unpaired surrogate) instead of writing '?'
            ByteBuffer out = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value));
            return Arrays.copyOf(out.array(), out.limit());
        } catch (CharacterCodingException e) {
            throw refuse(field + " is not valid Unicode (unpaired surrogate): it has no UTF-8 form");
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw refuse(field + " " + value + " is outside the range 0.." + max);
        }
    }

    private void ensure(int n) {
        if (buf.length - pos < n) {
            // grow to exactly what is needed for a large payload, else double: linear overall
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private IllegalArgumentException refuse(String detail) {
        return new IllegalArgumentException(context + ": " + detail);
    }
}
