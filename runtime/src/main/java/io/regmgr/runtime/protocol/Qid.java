package io.regmgr.runtime.protocol;

/**
 * A 9P2000 qid: the server's unique identity of a file.
 *
 * <p>On the wire: {@code type[1] version[4] path[8]}, 13 bytes, little-endian. Unsigned wire values
 * are held as bit patterns: {@code version} is a u32 in an {@code int}, {@code path} a u64 in a
 * {@code long}. The codec refuses to encode a {@code type} outside 0..255. Instances are immutable
 * and thread-safe.
 *
 * @param type the file type bits, 0..255: {@link StyxMessage#QTDIR}, {@link StyxMessage#QTFILE}, ...
 * @param version the file's version, a u32 bit pattern; incremented by the server on each change
 * @param path the file's unique number within the server, a u64 bit pattern
 */
public record Qid(int type, int version, long path) {
    /** The size of a qid on the wire, in bytes. */
    public static final int WIRE_SIZE = 13;

    /** @return true when {@link #type()} has the {@link StyxMessage#QTDIR} bit set */
    public boolean isDirectory() {
        return (type & StyxMessage.QTDIR) != 0;
    }
}
