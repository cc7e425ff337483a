package io.regmgr.runtime.protocol;

import static io.regmgr.runtime.protocol.StyxMessage.*;

import io.regmgr.ProtocolViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes 9P2000 frames: one explicit body reader per message type, in the style of plan9port's
 * {@code convM2S.c}. Stateless and thread-safe; used through {@link StyxCodec}.
 */
final class StyxDecoder {

    /** Reads the fields after {@code tag[2]} of one message type. */
    @FunctionalInterface
    private interface Body {
        StyxMessage read(WireReader r, int tag);
    }

    private record Kind(String name, Body body) {
    }

    private static final Kind[] KINDS = new Kind[128];

    static {
        // size[4] Tversion tag[2] msize[4] version[s]
        on(TVERSION, "Tversion", (r, tag) -> new Tversion(tag, r.u32("msize"), r.string("version")));
        // size[4] Rversion tag[2] msize[4] version[s]
        on(RVERSION, "Rversion", (r, tag) -> new Rversion(tag, r.u32("msize"), r.string("version")));
        // size[4] Tauth tag[2] afid[4] uname[s] aname[s]
        on(TAUTH, "Tauth", (r, tag) -> new Tauth(tag, r.u32("afid"), r.string("uname"), r.string("aname")));
        // size[4] Rauth tag[2] aqid[13]
        on(RAUTH, "Rauth", (r, tag) -> new Rauth(tag, r.qid("aqid")));
        // size[4] Tattach tag[2] fid[4] afid[4] uname[s] aname[s]
        on(TATTACH, "Tattach",
                (r, tag) -> new Tattach(tag, r.u32("fid"), r.u32("afid"), r.string("uname"), r.string("aname")));
        // size[4] Rattach tag[2] qid[13]
        on(RATTACH, "Rattach", (r, tag) -> new Rattach(tag, r.qid("qid")));
        // size[4] Rerror tag[2] ename[s]
        on(RERROR, "Rerror", (r, tag) -> new Rerror(tag, r.string("ename")));
        // size[4] Tflush tag[2] oldtag[2]
        on(TFLUSH, "Tflush", (r, tag) -> new Tflush(tag, r.u16("oldtag")));
        // size[4] Rflush tag[2]
        on(RFLUSH, "Rflush", (r, tag) -> new Rflush(tag));
        // size[4] Twalk tag[2] fid[4] newfid[4] nwname[2] nwname*(wname[s])
        on(TWALK, "Twalk", (r, tag) -> new Twalk(tag, r.u32("fid"), r.u32("newfid"), names(r)));
        // size[4] Rwalk tag[2] nwqid[2] nwqid*(wqid[13])
        on(RWALK, "Rwalk", (r, tag) -> new Rwalk(tag, qids(r)));
        // size[4] Topen tag[2] fid[4] mode[1]
        on(TOPEN, "Topen", (r, tag) -> new Topen(tag, r.u32("fid"), r.u8("mode")));
        // size[4] Ropen tag[2] qid[13] iounit[4]
        on(ROPEN, "Ropen", (r, tag) -> new Ropen(tag, r.qid("qid"), r.u32("iounit")));
        // size[4] Tcreate tag[2] fid[4] name[s] perm[4] mode[1]
        on(TCREATE, "Tcreate",
                (r, tag) -> new Tcreate(tag, r.u32("fid"), r.string("name"), r.u32("perm"), r.u8("mode")));
        // size[4] Rcreate tag[2] qid[13] iounit[4]
        on(RCREATE, "Rcreate", (r, tag) -> new Rcreate(tag, r.qid("qid"), r.u32("iounit")));
        // size[4] Tread tag[2] fid[4] offset[8] count[4]
        on(TREAD, "Tread", (r, tag) -> new Tread(tag, r.u32("fid"), r.u64("offset"), r.u32("count")));
        // size[4] Rread tag[2] count[4] data[count]
        on(RREAD, "Rread", (r, tag) -> new Rread(tag, r.counted("count")));
        // size[4] Twrite tag[2] fid[4] offset[8] count[4] data[count]
        on(TWRITE, "Twrite", (r, tag) -> new Twrite(tag, r.u32("fid"), r.u64("offset"), r.counted("count")));
        // size[4] Rwrite tag[2] count[4]
        on(RWRITE, "Rwrite", (r, tag) -> new Rwrite(tag, r.u32("count")));
        // size[4] Tclunk tag[2] fid[4]
        on(TCLUNK, "Tclunk", (r, tag) -> new Tclunk(tag, r.u32("fid")));
        // size[4] Rclunk tag[2]
        on(RCLUNK, "Rclunk", (r, tag) -> new Rclunk(tag));
        // size[4] Tremove tag[2] fid[4]
        on(TREMOVE, "Tremove", (r, tag) -> new Tremove(tag, r.u32("fid")));
        // size[4] Rremove tag[2]
        on(RREMOVE, "Rremove", (r, tag) -> new Rremove(tag));
        // size[4] Tstat tag[2] fid[4]
        on(TSTAT, "Tstat", (r, tag) -> new Tstat(tag, r.u32("fid")));
        // size[4] Rstat tag[2] stat[n]
        on(RSTAT, "Rstat", (r, tag) -> new Rstat(tag, r.wrappedStat()));
        // size[4] Twstat tag[2] fid[4] stat[n]
        on(TWSTAT, "Twstat", (r, tag) -> new Twstat(tag, r.u32("fid"), r.wrappedStat()));
        // size[4] Rwstat tag[2]
        on(RWSTAT, "Rwstat", (r, tag) -> new Rwstat(tag));
    }

    private StyxDecoder() {
    }

    private static void on(byte type, String name, Body body) {
        KINDS[type] = new Kind(name, body);
    }

    /** See {@link StyxCodec#decode(byte[], int, int)}. */
    static StyxMessage decode(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < StyxCodec.HEADER_SIZE) {
            throw new ProtocolViolationException("9P message: frame of " + len
                    + " bytes is shorter than the minimum of 7 (size[4] type[1] tag[2])");
        }
        long size = Integer.toUnsignedLong(WireReader.getU32(buf, off));
        if (size < StyxCodec.HEADER_SIZE) {
            throw new ProtocolViolationException("9P message: declared size " + size
                    + " is less than the minimum of 7 (size[4] type[1] tag[2])");
        }
        Kind kind = kind(buf[off + 4] & 0xFF);
        if (size > len) {
            throw new ProtocolViolationException(kind.name() + ": declared size " + size + " but only " + len
                    + " bytes are present (truncated frame)");
        }
        if (size < len) {
            throw new ProtocolViolationException(kind.name() + ": declared size " + size + " but " + len
                    + " bytes were given: decode takes exactly one frame");
        }
        WireReader r = new WireReader(kind.name(), buf, off + 5, off + len, "the frame");
        StyxMessage message = kind.body().read(r, r.u16("tag"));
        if (r.remaining() != 0) {
            throw new ProtocolViolationException(kind.name() + ": declared size " + size + " but the fields end at "
                    + (r.position() - off));
        }
        return message;
    }

    /** See {@link StyxCodec#decodeStats(byte[])}. */
    static List<Stat> decodeStats(byte[] data) {
        WireReader r = new WireReader("directory data", data, 0, data.length, "the data");
        List<Stat> stats = new ArrayList<>();
        while (r.remaining() > 0) {
            stats.add(r.stat());
        }
        return List.copyOf(stats);
    }

    private static Kind kind(int type) {
        if (type == TERROR) {
            throw new ProtocolViolationException("Terror: type 106 is reserved and never valid on the wire");
        }
        Kind kind = type < KINDS.length ? KINDS[type] : null;
        if (kind == null) {
            throw new ProtocolViolationException("9P message: unknown type " + type
                    + " (9P2000 types are 100..127, except 106)");
        }
        return kind;
    }

    private static List<String> names(WireReader r) {
        int n = r.walkCount("nwname");
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(r.string("wname[" + i + "]"));
        }
        return names;
    }

    private static List<Qid> qids(WireReader r) {
        int n = r.walkCount("nwqid");
        List<Qid> qids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            qids.add(r.qid("wqid[" + i + "]"));
        }
        return qids;
    }
}
