package io.regmgr.runtime.protocol;

import static io.regmgr.runtime.protocol.StyxMessage.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Encodes 9P2000 messages: one explicit body writer per message type, in the style of plan9port's
 * {@code convS2M.c}. Stateless and thread-safe; used through {@link StyxCodec}.
 */
final class StyxEncoder {

    /** Writes the fields after {@code tag[2]} of messages of type {@code M}. */
    private record Kind<M extends StyxMessage>(Class<M> type, BiConsumer<WireWriter, M> body) {
        void write(WireWriter w, StyxMessage m) {
            body.accept(w, type.cast(m));
        }
    }

    private static final int INITIAL_CAPACITY = 64;
    private static final Map<Class<?>, Kind<?>> KINDS;

    static {
        Map<Class<?>, Kind<?>> k = new HashMap<>();
        // size[4] Tversion tag[2] msize[4] version[s]
        on(k, Tversion.class, (w, m) -> w.u32(m.msize()).string("version", m.version()));
        // size[4] Rversion tag[2] msize[4] version[s]
        on(k, Rversion.class, (w, m) -> w.u32(m.msize()).string("version", m.version()));
        // size[4] Tauth tag[2] afid[4] uname[s] aname[s]
        on(k, Tauth.class, (w, m) -> w.u32(m.afid()).string("uname", m.uname()).string("aname", m.aname()));
        // size[4] Rauth tag[2] aqid[13]
        on(k, Rauth.class, (w, m) -> w.qid("aqid", m.aqid()));
        // size[4] Tattach tag[2] fid[4] afid[4] uname[s] aname[s]
        on(k, Tattach.class, (w, m) -> w.u32(m.fid()).u32(m.afid()).string("uname", m.uname())
                .string("aname", m.aname()));
        // size[4] Rattach tag[2] qid[13]
        on(k, Rattach.class, (w, m) -> w.qid("qid", m.qid()));
        // size[4] Rerror tag[2] ename[s]
        on(k, Rerror.class, (w, m) -> w.string("ename", m.ename()));
        // size[4] Tflush tag[2] oldtag[2]
        on(k, Tflush.class, (w, m) -> w.u16("oldtag", m.oldtag()));
        // size[4] Rflush tag[2]
        on(k, Rflush.class, (w, m) -> { });
        // size[4] Twalk tag[2] fid[4] newfid[4] nwname[2] nwname*(wname[s])
        on(k, Twalk.class, (w, m) -> names(w.u32(m.fid()).u32(m.newfid()), m.names()));
        // size[4] Rwalk tag[2] nwqid[2] nwqid*(wqid[13])
        on(k, Rwalk.class, (w, m) -> qids(w, m.qids()));
        // size[4] Topen tag[2] fid[4] mode[1]
        on(k, Topen.class, (w, m) -> w.u32(m.fid()).u8("mode", m.mode()));
        // size[4] Ropen tag[2] qid[13] iounit[4]
        on(k, Ropen.class, (w, m) -> w.qid("qid", m.qid()).u32(m.iounit()));
        // size[4] Tcreate tag[2] fid[4] name[s] perm[4] mode[1]
        on(k, Tcreate.class, (w, m) -> w.u32(m.fid()).string("name", m.name()).u32(m.perm()).u8("mode", m.mode()));
        // size[4] Rcreate tag[2] qid[13] iounit[4]
        on(k, Rcreate.class, (w, m) -> w.qid("qid", m.qid()).u32(m.iounit()));
        // size[4] Tread tag[2] fid[4] offset[8] count[4]
        on(k, Tread.class, (w, m) -> w.u32(m.fid()).u64(m.offset()).u32(m.count()));
        // size[4] Rread tag[2] count[4] data[count]
        on(k, Rread.class, (w, m) -> w.counted(m.data()));
        // size[4] Twrite tag[2] fid[4] offset[8] count[4] data[count]
        on(k, Twrite.class, (w, m) -> w.u32(m.fid()).u64(m.offset()).counted(m.data()));
        // size[4] Rwrite tag[2] count[4]
        on(k, Rwrite.class, (w, m) -> w.u32(m.count()));
        // size[4] Tclunk tag[2] fid[4]
        on(k, Tclunk.class, (w, m) -> w.u32(m.fid()));
        // size[4] Rclunk tag[2]
        on(k, Rclunk.class, (w, m) -> { });
        // size[4] Tremove tag[2] fid[4]
        on(k, Tremove.class, (w, m) -> w.u32(m.fid()));
        // size[4] Rremove tag[2]
        on(k, Rremove.class, (w, m) -> { });
        // size[4] Tstat tag[2] fid[4]
        on(k, Tstat.class, (w, m) -> w.u32(m.fid()));
        // size[4] Rstat tag[2] stat[n]
        on(k, Rstat.class, (w, m) -> w.wrappedStat("stat", m.stat()));
        // size[4] Twstat tag[2] fid[4] stat[n]
        on(k, Twstat.class, (w, m) -> w.u32(m.fid()).wrappedStat("stat", m.stat()));
        // size[4] Rwstat tag[2]
        on(k, Rwstat.class, (w, m) -> { });
        KINDS = Map.copyOf(k);
    }

    private StyxEncoder() {
    }

    private static <M extends StyxMessage> void on(Map<Class<?>, Kind<?>> kinds, Class<M> type,
            BiConsumer<WireWriter, M> body) {
        kinds.put(type, new Kind<>(type, body));
    }

    /** See {@link StyxCodec#encode(StyxMessage)}. */
    static byte[] encode(StyxMessage m) {
        // never null: the interface is sealed and every record is registered above
        Kind<?> kind = KINDS.get(m.getClass());
        WireWriter w = new WireWriter(m.getClass().getSimpleName(), INITIAL_CAPACITY);
        w.u32(0).u8("type", m.type() & 0xFF).u16("tag", m.tag());
        kind.write(w, m);
        // size[4] counts itself; patched now that the length is known
        w.putU32At(0, w.position());
        return w.toByteArray();
    }

    /** See {@link StyxCodec#encodeStat(Stat)}. */
    static byte[] encodeStat(Stat stat) {
        return new WireWriter("stat", INITIAL_CAPACITY).stat("stat", stat).toByteArray();
    }

    private static void names(WireWriter w, List<String> names) {
        w.walkCount("nwname", names.size());
        for (int i = 0; i < names.size(); i++) {
            w.string("wname[" + i + "]", names.get(i));
        }
    }

    private static void qids(WireWriter w, List<Qid> qids) {
        w.walkCount("nwqid", qids.size());
        for (int i = 0; i < qids.size(); i++) {
            w.qid("wqid[" + i + "]", qids.get(i));
        }
    }
}
