package io.regmgr.runtime.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One 9P2000 ("Styx") message: a T-message (request) or an R-message (reply), as described in
 * Plan 9's and Inferno's {@code intro(5)}. {@link StyxCodec} turns messages into frames and back.
 *
 * <p>Every message starts with its {@code tag}, a u16 held as 0..65535 ({@link #NOTAG} for
 * {@code Tversion}). Other unsigned wire values are held as bit patterns: fids, counts, iounits and
 * permissions are u32 in an {@code int} (so {@link #NOFID} is {@code -1}), offsets are u64 in a
 * {@code long}. The open mode of {@code Topen}/{@code Tcreate} is a u8 held as 0..255. Ranges are
 * checked when encoding, not when constructing: a record may hold a value the codec refuses.
 *
 * <p>All messages are immutable and thread-safe, except that {@link Rread} and {@link Twrite} hold
 * their {@code byte[]} without copying it (to avoid copying every payload): whoever creates one must
 * not modify the array afterwards. Lists are copied on construction. Null components are refused.
 */
public sealed interface StyxMessage {

    /** The tag of {@code Tversion}/{@code Rversion}, which precede tag allocation: 0xFFFF. */
    int NOTAG = 0xFFFF;
    /** "No fid": the {@code afid} of a {@code Tattach} without authentication; 0xFFFFFFFF. */
    int NOFID = 0xFFFF_FFFF;
    /** The largest number of path elements in one {@code Twalk} or qids in one {@code Rwalk}. */
    int MAXWELEM = 16;

    /** Open mode: read. */
    int OREAD = 0;
    /** Open mode: write. */
    int OWRITE = 1;
    /** Open mode: read and write. */
    int ORDWR = 2;
    /** Open mode: execute (read access, checked against execute permission). */
    int OEXEC = 3;
    /** Open mode flag: truncate the file. */
    int OTRUNC = 0x10;
    /** Open mode flag: remove the file when the fid is clunked. */
    int ORCLOSE = 0x40;

    /** Permission / stat mode bit: the file is a directory. */
    int DMDIR = 0x8000_0000;
    /** Qid type bit: the file is a directory. */
    int QTDIR = 0x80;
    /** Qid type of a plain file. */
    int QTFILE = 0;

    /** Type number of {@link Tversion}. */
    byte TVERSION = 100;
    /** Type number of {@link Rversion}. */
    byte RVERSION = 101;
    /** Type number of {@link Tauth}. */
    byte TAUTH = 102;
    /** Type number of {@link Rauth}. */
    byte RAUTH = 103;
    /** Type number of {@link Tattach}. */
    byte TATTACH = 104;
    /** Type number of {@link Rattach}. */
    byte RATTACH = 105;
    /** Type number 106, "Terror": reserved and illegal on the wire; no record exists for it. */
    byte TERROR = 106;
    /** Type number of {@link Rerror}. */
    byte RERROR = 107;
    /** Type number of {@link Tflush}. */
    byte TFLUSH = 108;
    /** Type number of {@link Rflush}. */
    byte RFLUSH = 109;
    /** Type number of {@link Twalk}. */
    byte TWALK = 110;
    /** Type number of {@link Rwalk}. */
    byte RWALK = 111;
    /** Type number of {@link Topen}. */
    byte TOPEN = 112;
    /** Type number of {@link Ropen}. */
    byte ROPEN = 113;
    /** Type number of {@link Tcreate}. */
    byte TCREATE = 114;
    /** Type number of {@link Rcreate}. */
    byte RCREATE = 115;
    /** Type number of {@link Tread}. */
    byte TREAD = 116;
    /** Type number of {@link Rread}. */
    byte RREAD = 117;
    /** Type number of {@link Twrite}. */
    byte TWRITE = 118;
    /** Type number of {@link Rwrite}. */
    byte RWRITE = 119;
    /** Type number of {@link Tclunk}. */
    byte TCLUNK = 120;
    /** Type number of {@link Rclunk}. */
    byte RCLUNK = 121;
    /** Type number of {@link Tremove}. */
    byte TREMOVE = 122;
    /** Type number of {@link Rremove}. */
    byte RREMOVE = 123;
    /** Type number of {@link Tstat}. */
    byte TSTAT = 124;
    /** Type number of {@link Rstat}. */
    byte RSTAT = 125;
    /** Type number of {@link Twstat}. */
    byte TWSTAT = 126;
    /** Type number of {@link Rwstat}. */
    byte RWSTAT = 127;

    /** @return the message's tag, 0..65535 */
    int tag();

    /** @return the 9P type number, e.g. {@link #TVERSION} (100) */
    byte type();

    /**
     * Negotiates the protocol version and the largest message size; tag {@link #NOTAG}.
     *
     * @param tag the tag, normally {@link #NOTAG}
     * @param msize the largest message the client will send or accept, in bytes
     * @param version the protocol version, {@code "9P2000"}
     */
    record Tversion(int tag, int msize, String version) implements StyxMessage {
        /** @throws NullPointerException if {@code version} is null */
        public Tversion {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public byte type() {
            return TVERSION;
        }
    }

    /**
     * Answers {@link Tversion}.
     *
     * @param tag the tag of the request
     * @param msize the negotiated message size, at most the one asked for
     * @param version {@code "9P2000"}, or {@code "unknown"} when the version is not supported
     */
    record Rversion(int tag, int msize, String version) implements StyxMessage {
        /** @throws NullPointerException if {@code version} is null */
        public Rversion {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public byte type() {
            return RVERSION;
        }
    }

    /**
     * Asks for an authentication file.
     *
     * @param tag the tag
     * @param afid the fid to bind to the authentication file
     * @param uname the user name
     * @param aname the file tree to access
     */
    record Tauth(int tag, int afid, String uname, String aname) implements StyxMessage {
        /** @throws NullPointerException if a string is null */
        public Tauth {
            Objects.requireNonNull(uname, "uname");
            Objects.requireNonNull(aname, "aname");
        }

        @Override
        public byte type() {
            return TAUTH;
        }
    }

    /**
     * Answers {@link Tauth}.
     *
     * @param tag the tag of the request
     * @param aqid the qid of the authentication file
     */
    record Rauth(int tag, Qid aqid) implements StyxMessage {
        /** @throws NullPointerException if {@code aqid} is null */
        public Rauth {
            Objects.requireNonNull(aqid, "aqid");
        }

        @Override
        public byte type() {
            return RAUTH;
        }
    }

    /**
     * Binds a fid to the root of a file tree.
     *
     * @param tag the tag
     * @param fid the new fid
     * @param afid the authentication fid, or {@link #NOFID}
     * @param uname the user name
     * @param aname the file tree to access
     */
    record Tattach(int tag, int fid, int afid, String uname, String aname) implements StyxMessage {
        /** @throws NullPointerException if a string is null */
        public Tattach {
            Objects.requireNonNull(uname, "uname");
            Objects.requireNonNull(aname, "aname");
        }

        @Override
        public byte type() {
            return TATTACH;
        }
    }

    /**
     * Answers {@link Tattach}.
     *
     * @param tag the tag of the request
     * @param qid the qid of the root
     */
    record Rattach(int tag, Qid qid) implements StyxMessage {
        /** @throws NullPointerException if {@code qid} is null */
        public Rattach {
            Objects.requireNonNull(qid, "qid");
        }

        @Override
        public byte type() {
            return RATTACH;
        }
    }

    /**
     * The failure of any request.
     *
     * @param tag the tag of the failed request
     * @param ename the error string, e.g. {@code "file does not exist"}
     */
    record Rerror(int tag, String ename) implements StyxMessage {
        /** @throws NullPointerException if {@code ename} is null */
        public Rerror {
            Objects.requireNonNull(ename, "ename");
        }

        @Override
        public byte type() {
            return RERROR;
        }
    }

    /**
     * Aborts the request with tag {@code oldtag}.
     *
     * @param tag the tag of this request
     * @param oldtag the tag of the request to abort, 0..65535
     */
    record Tflush(int tag, int oldtag) implements StyxMessage {
        @Override
        public byte type() {
            return TFLUSH;
        }
    }

    /**
     * Answers {@link Tflush}: the old request is answered or will never be.
     *
     * @param tag the tag of the request
     */
    record Rflush(int tag) implements StyxMessage {
        @Override
        public byte type() {
            return RFLUSH;
        }
    }

    /**
     * Walks from {@code fid} through {@code names}, binding {@code newfid} to the result.
     *
     * @param tag the tag
     * @param fid the starting fid
     * @param newfid the fid to bind; may equal {@code fid}
     * @param names the path elements, at most {@link #MAXWELEM}; copied, no null elements
     */
    record Twalk(int tag, int fid, int newfid, List<String> names) implements StyxMessage {
        /** @throws NullPointerException if {@code names} is or contains null */
        public Twalk {
            names = List.copyOf(names);
        }

        @Override
        public byte type() {
            return TWALK;
        }
    }

    /**
     * Answers {@link Twalk}: one qid per element walked.
     *
     * @param tag the tag of the request
     * @param qids the qids of the elements walked, at most {@link #MAXWELEM}; copied
     */
    record Rwalk(int tag, List<Qid> qids) implements StyxMessage {
        /** @throws NullPointerException if {@code qids} is or contains null */
        public Rwalk {
            qids = List.copyOf(qids);
        }

        @Override
        public byte type() {
            return RWALK;
        }
    }

    /**
     * Opens the file of {@code fid}.
     *
     * @param tag the tag
     * @param fid the fid to open
     * @param mode {@link #OREAD}, {@link #OWRITE}, {@link #ORDWR} or {@link #OEXEC}, optionally or-ed
     *     with {@link #OTRUNC} and {@link #ORCLOSE}; a u8, 0..255
     */
    record Topen(int tag, int fid, int mode) implements StyxMessage {
        @Override
        public byte type() {
            return TOPEN;
        }
    }

    /**
     * Answers {@link Topen}.
     *
     * @param tag the tag of the request
     * @param qid the qid of the opened file
     * @param iounit the largest count that one read or write is guaranteed to transfer, or 0
     */
    record Ropen(int tag, Qid qid, int iounit) implements StyxMessage {
        /** @throws NullPointerException if {@code qid} is null */
        public Ropen {
            Objects.requireNonNull(qid, "qid");
        }

        @Override
        public byte type() {
            return ROPEN;
        }
    }

    /**
     * Creates {@code name} in the directory of {@code fid} and opens it; {@code fid} then is the file.
     *
     * @param tag the tag
     * @param fid a fid of the directory
     * @param name the new file's name
     * @param perm the permissions, with {@link #DMDIR} for a directory
     * @param mode the open mode as in {@link Topen}, 0..255
     */
    record Tcreate(int tag, int fid, String name, int perm, int mode) implements StyxMessage {
        /** @throws NullPointerException if {@code name} is null */
        public Tcreate {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public byte type() {
            return TCREATE;
        }
    }

    /**
     * Answers {@link Tcreate}.
     *
     * @param tag the tag of the request
     * @param qid the qid of the new file
     * @param iounit as in {@link Ropen}
     */
    record Rcreate(int tag, Qid qid, int iounit) implements StyxMessage {
        /** @throws NullPointerException if {@code qid} is null */
        public Rcreate {
            Objects.requireNonNull(qid, "qid");
        }

        @Override
        public byte type() {
            return RCREATE;
        }
    }

    /**
     * Reads up to {@code count} bytes at {@code offset}.
     *
     * @param tag the tag
     * @param fid an open fid
     * @param offset the byte offset, a u64 bit pattern
     * @param count the largest number of bytes to return, a u32 bit pattern
     */
    record Tread(int tag, int fid, long offset, int count) implements StyxMessage {
        @Override
        public byte type() {
            return TREAD;
        }
    }

    /**
     * Answers {@link Tread}; an empty {@code data} means end of file.
     *
     * <p>Equality, hash code and {@link #toString()} use the content of {@code data}.
     *
     * @param tag the tag of the request
     * @param data the bytes read; held, not copied
     */
    record Rread(int tag, byte[] data) implements StyxMessage {
        /** @throws NullPointerException if {@code data} is null */
        public Rread {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public byte type() {
            return RREAD;
        }

        /** @return true when {@code o} is an {@code Rread} with the same tag and the same bytes */
        @Override
        public boolean equals(Object o) {
            return o instanceof Rread r && r.tag == tag && Arrays.equals(r.data, data);
        }

        /** @return a hash of the tag and the bytes */
        @Override
        public int hashCode() {
            return 31 * tag + Arrays.hashCode(data);
        }

        /** @return the tag, the data length and the first bytes in hex */
        @Override
        public String toString() {
            return "Rread[tag=" + tag + ", data=" + Payloads.describe(data) + "]";
        }
    }

    /**
     * Writes {@code data} at {@code offset}.
     *
     * <p>Equality, hash code and {@link #toString()} use the content of {@code data}.
     *
     * @param tag the tag
     * @param fid an open fid
     * @param offset the byte offset, a u64 bit pattern
     * @param data the bytes to write; held, not copied
     */
    record Twrite(int tag, int fid, long offset, byte[] data) implements StyxMessage {
        /** @throws NullPointerException if {@code data} is null */
        public Twrite {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public byte type() {
            return TWRITE;
        }

        /** @return true when {@code o} is a {@code Twrite} with equal fields and the same bytes */
        @Override
        public boolean equals(Object o) {
            return o instanceof Twrite w && w.tag == tag && w.fid == fid && w.offset == offset
                    && Arrays.equals(w.data, data);
        }

        /** @return a hash of all fields, using the content of {@code data} */
        @Override
        public int hashCode() {
            return Objects.hash(tag, fid, offset) * 31 + Arrays.hashCode(data);
        }

        /** @return the fields, the data length and the first bytes in hex */
        @Override
        public String toString() {
            return "Twrite[tag=" + tag + ", fid=" + fid + ", offset=" + offset + ", data="
                    + Payloads.describe(data) + "]";
        }
    }

    /**
     * Answers {@link Twrite}.
     *
     * @param tag the tag of the request
     * @param count the number of bytes written, a u32 bit pattern
     */
    record Rwrite(int tag, int count) implements StyxMessage {
        @Override
        public byte type() {
            return RWRITE;
        }
    }

    /**
     * Forgets {@code fid} (and removes its file if it was opened with {@link #ORCLOSE}).
     *
     * @param tag the tag
     * @param fid the fid to forget
     */
    record Tclunk(int tag, int fid) implements StyxMessage {
        @Override
        public byte type() {
            return TCLUNK;
        }
    }

    /**
     * Answers {@link Tclunk}.
     *
     * @param tag the tag of the request
     */
    record Rclunk(int tag) implements StyxMessage {
        @Override
        public byte type() {
            return RCLUNK;
        }
    }

    /**
     * Removes the file of {@code fid} and forgets the fid, even if the removal fails.
     *
     * @param tag the tag
     * @param fid the fid of the file to remove
     */
    record Tremove(int tag, int fid) implements StyxMessage {
        @Override
        public byte type() {
            return TREMOVE;
        }
    }

    /**
     * Answers {@link Tremove}.
     *
     * @param tag the tag of the request
     */
    record Rremove(int tag) implements StyxMessage {
        @Override
        public byte type() {
            return RREMOVE;
        }
    }

    /**
     * Asks for the directory entry of {@code fid}'s file.
     *
     * @param tag the tag
     * @param fid the fid
     */
    record Tstat(int tag, int fid) implements StyxMessage {
        @Override
        public byte type() {
            return TSTAT;
        }
    }

    /**
     * Answers {@link Tstat}.
     *
     * @param tag the tag of the request
     * @param stat the directory entry
     */
    record Rstat(int tag, Stat stat) implements StyxMessage {
        /** @throws NullPointerException if {@code stat} is null */
        public Rstat {
            Objects.requireNonNull(stat, "stat");
        }

        @Override
        public byte type() {
            return RSTAT;
        }
    }

    /**
     * Changes the directory entry of {@code fid}'s file; see {@link Stat#dontTouch()}.
     *
     * @param tag the tag
     * @param fid the fid
     * @param stat the new values, "do not change" markers elsewhere
     */
    record Twstat(int tag, int fid, Stat stat) implements StyxMessage {
        /** @throws NullPointerException if {@code stat} is null */
        public Twstat {
            Objects.requireNonNull(stat, "stat");
        }

        @Override
        public byte type() {
            return TWSTAT;
        }
    }

    /**
     * Answers {@link Twstat}.
     *
     * @param tag the tag of the request
     */
    record Rwstat(int tag) implements StyxMessage {
        @Override
        public byte type() {
            return RWSTAT;
        }
    }
}
