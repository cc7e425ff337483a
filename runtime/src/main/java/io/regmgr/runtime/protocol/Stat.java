package io.regmgr.runtime.protocol;

import java.util.Objects;

/**
 * A 9P2000 directory entry ({@code stat(5)}), as returned by {@code Tstat}, sent by {@code Twstat}
 * and read from a directory.
 *
 * <p>On the wire: {@code size[2] type[2] dev[4] qid[13] mode[4] atime[4] mtime[4] length[8]
 * name[s] uid[s] gid[s] muid[s]}, where {@code size} counts the bytes after itself. Unsigned wire
 * values are held as bit patterns: {@code dev} and {@code mode} are u32 in an {@code int},
 * {@code length} a u64 in a {@code long}; {@code type} is a u16 held as 0..65535 and the times are
 * u32 held as 0..2<sup>32</sup>-1 in a {@code long} (seconds since the epoch). A {@code Twstat}
 * marks a field "do not change" with all bits set ({@link #dontTouch()} builds such a stat).
 * Instances are immutable and thread-safe.
 *
 * @param type for kernel use, 0..65535
 * @param dev for kernel use, a u32 bit pattern
 * @param qid the file's identity
 * @param mode permissions and mode bits such as {@link StyxMessage#DMDIR}, a u32 bit pattern
 * @param atime last access time, 0..2<sup>32</sup>-1
 * @param mtime last modification time, 0..2<sup>32</sup>-1
 * @param length the file's length in bytes, a u64 bit pattern
 * @param name the last element of the file's path; never null
 * @param uid the owner; never null
 * @param gid the group; never null
 * @param muid the user who last modified the file; never null
 */
public record Stat(int type, int dev, Qid qid, int mode, long atime, long mtime, long length,
        String name, String uid, String gid, String muid) {

    /** The largest u32 time value: also the "do not change" marker of {@code Twstat}. */
    public static final long MAX_TIME = 0xFFFF_FFFFL;

    /**
     * Checks that the references are present; ranges are checked by the encoder.
     *
     * @throws NullPointerException if {@code qid} or a string is null
     */
    public Stat {
        Objects.requireNonNull(qid, "qid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(gid, "gid");
        Objects.requireNonNull(muid, "muid");
    }

    /**
     * @return a stat that changes nothing when sent in a {@code Twstat}: every number has all bits
     *     set and every string is empty; use {@link #withName} to rename a file
     */
    public static Stat dontTouch() {
        return new Stat(0xFFFF, -1, new Qid(0xFF, -1, -1L), -1, MAX_TIME, MAX_TIME, -1L, "", "", "", "");
    }

    /**
     * @param newName the new name
     * @return a copy of this stat with {@code name} replaced
     */
    public Stat withName(String newName) {
        return new Stat(type, dev, qid, mode, atime, mtime, length, newName, uid, gid, muid);
    }
}
