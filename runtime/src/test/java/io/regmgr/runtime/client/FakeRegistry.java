package io.regmgr.runtime.client;

import io.regmgr.runtime.client.ScriptedServer.StyxOut;
import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.Stat;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rattach;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rflush;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rremove;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tflush;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted 9P registry for client tests: answers the handshake (version, attach, stat of the
 * root), walks, opens, reads (empty), writes, clunks, removes and flushes like a well-behaved
 * server, and parks the read of {@code event}. A {@link Hook} sees every message first (once the
 * event read is parked, or from the start with {@link #fromStart}) and may answer it otherwise.
 * Records every message received. One instance per connection (one scripted server per test); thread-safe.
 */
final class FakeRegistry implements ScriptedServer.StyxScript {
    /** Takes over a message: returns true when it answered (or deliberately ignored) it. */
    @FunctionalInterface
    interface Hook {
        boolean handle(StyxMessage m, StyxOut out, FakeRegistry registry) throws IOException;
    }

    static final int MSIZE = 8216;
    static final long QEVENT = 3;
    private static final Map<String, Long> FILES = Map.of("new", 1L, "index", 2L, "event", 3L, "find", 4L);

    private final Hook hook;
    private final boolean fromStart;
    private final List<StyxMessage> received = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> paths = new ConcurrentHashMap<>();
    private volatile Tread eventRead;
    private volatile StyxOut out;

    private FakeRegistry(Hook hook, boolean fromStart) {
        this.hook = hook;
        this.fromStart = fromStart;
    }

    /** @return a registry whose hook sees messages once the client's event read is parked */
    static FakeRegistry afterConnect(Hook hook) {
        return new FakeRegistry(hook, false);
    }

    /** @return a registry whose hook sees every message */
    static FakeRegistry fromStart(Hook hook) {
        return new FakeRegistry(hook, true);
    }

    /**
     * @return a registry that opens every file (once connected) with an iounit of {@code iounit}
     *     and applies every write up to it only, answering a short {@code Rwrite} for a longer one
     */
    static FakeRegistry cuttingWrites(int iounit) {
        return afterConnect((m, out, r) -> {
            if (m instanceof Topen o) {
                out.reply(new Ropen(o.tag(), new Qid(StyxMessage.QTFILE, 0, 21), iounit));
                return true;
            }
            if (m instanceof Twrite w) {
                out.reply(new Rwrite(w.tag(), Math.min(iounit, w.data().length)));
                return true;
            }
            return false;
        });
    }

    /** A hook that never answers anything: a half-open connection. */
    static Hook silence() {
        return (m, out, r) -> true;
    }

    @Override
    public void onMessage(StyxMessage m, StyxOut out) throws IOException {
        received.add(m);
        this.out = out;
        if ((fromStart || eventRead != null) && hook.handle(m, out, this)) {
            return;
        }
        answer(m, out);
    }

    /** Answers as a healthy registry would. */
    void answer(StyxMessage m, StyxOut out) throws IOException {
        if (m instanceof Tversion v) {
            out.reply(new Rversion(v.tag(), Math.min(v.msize(), MSIZE), "9P2000"));
        } else if (m instanceof Tattach a) {
            paths.put(a.fid(), 0L);
            out.reply(new Rattach(a.tag(), qid(0)));
        } else if (m instanceof Tstat s) {
            out.reply(new Rstat(s.tag(), new Stat(0, 0, qid(0), StyxMessage.DMDIR | 0777, 0, 1_700_000_000L, 0,
                    ".", "registry", "registry", "registry")));
        } else if (m instanceof Twalk w) {
            long path = FILES.getOrDefault(w.names().get(0), 5L);
            paths.put(w.newfid(), path);
            out.reply(new Rwalk(w.tag(), List.of(qid(path))));
        } else if (m instanceof Topen o) {
            out.reply(new Ropen(o.tag(), qid(paths.getOrDefault(o.fid(), 5L)), 8192));
        } else if (m instanceof Tread r) {
            if (paths.getOrDefault(r.fid(), -1L) == QEVENT) {
                eventRead = r;
            } else {
                out.reply(new Rread(r.tag(), new byte[0]));
            }
        } else if (m instanceof Twrite w) {
            out.reply(new Rwrite(w.tag(), w.data().length));
        } else if (m instanceof Tclunk c) {
            paths.remove(c.fid());
            out.reply(new Rclunk(c.tag()));
        } else if (m instanceof Tremove r) {
            paths.remove(r.fid());
            out.reply(new Rremove(r.tag()));
        } else if (m instanceof Tflush f) {
            out.reply(new Rflush(f.tag()));
        }
    }

    private static Qid qid(long path) {
        return new Qid(path == 0 ? StyxMessage.QTDIR : StyxMessage.QTFILE, 0, path);
    }

    /** @return where to write to the client (after its first message), e.g. to answer the event read */
    StyxOut out() {
        return out;
    }

    /** @return the parked event read, or null before it arrived */
    Tread eventRead() {
        return eventRead;
    }

    /** @return the messages received so far, of one type */
    <T extends StyxMessage> List<T> received(Class<T> type) {
        List<T> list = new ArrayList<>();
        for (StyxMessage m : received) {
            if (type.isInstance(m)) {
                list.add(type.cast(m));
            }
        }
        return list;
    }
}
