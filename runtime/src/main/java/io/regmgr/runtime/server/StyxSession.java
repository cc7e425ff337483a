package io.regmgr.runtime.server;

import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rattach;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Rflush;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rremove;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tauth;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tcreate;
import io.regmgr.runtime.protocol.StyxMessage.Tflush;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.runtime.protocol.StyxMessage.Twstat;
import io.regmgr.ProtocolViolationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One 9P2000 connection to the registry: its fid table, its negotiated msize and its parked
 * event reads, translating each T-message into {@link RegistryState} calls and answering it.
 * Transport-agnostic: replies go to a callback. Confined to the registry's thread.
 */
final class StyxSession {
    static final String E_BAD_FID = "bad fid";
    static final String E_FID_IN_USE = "fid in use";
    static final String E_WALK_OPEN = "walk of open fid";
    static final String E_OPENED = "fid already opened";
    static final String E_NOT_OPEN = "read/write -- on non open fid";
    static final String E_MODE = "read/write -- not open in suitable mode";
    static final String E_COUNT = "read/write -- count too big";
    static final String E_OFFSET = "read/write -- bad offset";
    static final String E_NOT_DIR = "not a directory";
    static final String E_IS_DIR = "is a directory";
    static final String E_NO_AUTH = "authentication not required";
    static final String E_TOO_MANY_FIDS = "too many fids";
    static final String E_DUP_TAG = "duplicate tag";
    static final String E_MSIZE = "version: message size too small";
    static final String E_CLUNKED = "fid clunked";
    static final String E_STAT_BUFFER = "stat buffer too small";

    /** The smallest msize a client may negotiate. */
    static final int MIN_MSIZE = 256;
    /** The iounit the real exported registry announces. */
    static final int IOUNIT = 8192;

    private final RegistryState state;
    private final Consumer<StyxMessage> out;
    private final int maxMsize;
    private final int maxFids;
    private final RegistryProfile profile;
    private final Map<Integer, Fid> fids = new HashMap<>();
    private final Map<Integer, Fid> parkedByTag = new HashMap<>();
    private int msize;
    /** The authenticated peer's name, which replaces every attach's uname; null without authentication. */
    private String authenticated;

    StyxSession(RegistryState state, Consumer<StyxMessage> out, int maxMsize, int maxFids) {
        this(state, out, maxMsize, maxFids, RegistryProfile.DEFAULT);
    }

    StyxSession(RegistryState state, Consumer<StyxMessage> out, int maxMsize, int maxFids, RegistryProfile profile) {
        this.state = state;
        this.out = out;
        this.maxMsize = maxMsize;
        this.maxFids = maxFids;
        this.profile = profile;
        this.msize = maxMsize;
    }

    /** The msize in force: the server's maximum until a Tversion lowers it. */
    int msize() {
        return msize;
    }

    /** @return the fid bound to {@code fid}, or null */
    Fid lookup(int fid) {
        return fids.get(fid);
    }

    int openFids() {
        return fids.size();
    }

    int parkedReads() {
        return parkedByTag.size();
    }

    /**
     * Answers one message. Registry refusals become {@code Rerror}.
     *
     * @throws ProtocolViolationException for an R-message from the client: the connection must close
     */
    void handle(StyxMessage m) {
        if (parkedByTag.containsKey(m.tag()) && !(m instanceof Tflush)) {
            out.accept(new Rerror(m.tag(), E_DUP_TAG));
            return;
        }
        try {
            dispatch(m);
        } catch (RegistryError e) {
            out.accept(new Rerror(m.tag(), e.getMessage()));
        }
    }

    private void dispatch(StyxMessage m) {
        if (m instanceof Tversion v) {
            version(v);
        } else if (m instanceof Tauth a) {
            throw new RegistryError(E_NO_AUTH);
        } else if (m instanceof Tattach a) {
            attach(a);
        } else if (m instanceof Tflush f) {
            flush(f);
        } else if (m instanceof Twalk w) {
            walk(w);
        } else if (m instanceof Topen o) {
            open(o);
        } else if (m instanceof Tread r) {
            read(r);
        } else if (m instanceof Twrite w) {
            write(w);
        } else if (m instanceof Tclunk c) {
            release(take(c.fid()));
            out.accept(new Rclunk(c.tag()));
        } else if (m instanceof Tremove r) {
            remove(r);
        } else if (m instanceof Tstat s) {
            stat(s);
        } else if (m instanceof Tcreate || m instanceof Twstat) {
            throw new RegistryError(RegistryState.E_PERMISSION);
        } else {
            throw new ProtocolViolationException("9P: a client sent " + m.getClass().getSimpleName()
                    + ", which only a server may send");
        }
    }

    private void version(Tversion v) {
        if (v.msize() < MIN_MSIZE) {
            throw new RegistryError(E_MSIZE);
        }
        if (!profile.versionKeepsFids()) {
            // version(5): every outstanding request is aborted and gets no reply; abort the parked
            // reads before clunking, or a creator fid's clunk would answer them with its change.
            abortParked();
            closeAll();
        }
        boolean known = v.version().equals("9P2000") || v.version().startsWith("9P2000.");
        msize = Math.min(v.msize(), maxMsize);
        out.accept(new Rversion(v.tag(), msize, known ? "9P2000" : "unknown"));
    }

    /** @param name the authenticated peer's name, to own what this connection creates; null: the attach's uname */
    void authenticatedAs(String name) {
        this.authenticated = name;
    }

    private void attach(Tattach a) {
        claim(a.fid());
        // Behind export every client is the exporter, whatever uname it presents or name it authenticated with.
        String owner = profile.sharedOwner() ? state.registryUser() : authenticated != null ? authenticated : a.uname();
        Fid f = new Fid(a.fid(), owner, RegistryState.QROOT);
        fids.put(a.fid(), f);
        out.accept(new Rattach(a.tag(), RegistryFiles.qid(state, f.path)));
    }

    private void stat(Tstat s) {
        Fid f = fid(s.fid());
        // Through export a stat count is 16 bits wide: above this msize it wraps and every Tstat fails.
        if (profile.statMsizeLimit() > 0 && msize > profile.statMsizeLimit()) {
            throw new RegistryError(E_STAT_BUFFER);
        }
        out.accept(new Rstat(s.tag(), RegistryFiles.stat(state, f.path)));
    }

    private void flush(Tflush f) {
        Fid parked = parkedByTag.remove(f.oldtag());
        if (parked != null) {
            state.cancel(parked.events);
            parked.pendingTag = -1;
        }
        out.accept(new Rflush(f.tag()));
    }

    private void walk(Twalk w) {
        Fid from = fid(w.fid());
        if (from.open) {
            throw new RegistryError(E_WALK_OPEN);
        }
        if (w.newfid() != w.fid()) {
            claim(w.newfid());
        }
        long path = from.path;
        List<Qid> qids = new ArrayList<>(w.names().size());
        for (String name : w.names()) {
            long next = RegistryFiles.walk(state, path, name);
            if (next < 0) {
                if (qids.isEmpty()) {
                    throw new RegistryError(next == RegistryFiles.NOT_DIR ? E_NOT_DIR : RegistryState.E_NOT_FOUND);
                }
                out.accept(new Rwalk(w.tag(), qids));
                return;
            }
            path = next;
            qids.add(RegistryFiles.qid(state, path));
        }
        Fid to = from.copy(w.newfid());
        to.path = path;
        to.service = RegistryFiles.service(state, path);
        fids.put(w.newfid(), to);
        out.accept(new Rwalk(w.tag(), qids));
    }

    private void open(Topen o) {
        Fid f = fid(o.fid());
        if (f.open) {
            throw new RegistryError(E_OPENED);
        }
        RegistryFiles.checkOpen(state, f, o.mode());
        switch (f.kind()) {
            case RegistryState.QNEW:
                f.service = state.openNew(f.uname, f);
                f.creator = true;
                f.path = f.service.qidPath();
                break;
            case RegistryState.QEVENT:
                f.events = state.watchEvents();
                break;
            default:
                break;
        }
        f.open = true;
        f.mode = o.mode();
        out.accept(new Ropen(o.tag(), RegistryFiles.qid(state, f.path), Math.min(IOUNIT, msize - StyxCodec.IOHDRSZ)));
    }

    private void read(Tread r) {
        Fid f = openFid(r.fid(), true);
        // As Inferno's styxservers: a count above msize - IOHDRSZ is refused.
        if (r.count() < 0 || (long) r.count() + StyxCodec.IOHDRSZ > msize) {
            throw new RegistryError(E_COUNT);
        }
        if (r.offset() < 0) {
            throw new RegistryError(E_OFFSET);
        }
        if (f.kind() == RegistryState.QEVENT) {
            readEvent(f, r);
            return;
        }
        byte[] data = f.kind() == RegistryState.QROOT
                ? RegistryFiles.readDirectory(state, f, r.offset(), r.count())
                : RegistryFiles.readText(state, f, r.offset(), r.count());
        out.accept(new Rread(r.tag(), data));
    }

    private void readEvent(Fid f, Tread r) {
        int tag = r.tag();
        state.readEvent(f.events, r.count(), bytes -> {
            if (parkedByTag.remove(tag) != null) {
                f.pendingTag = -1;
            }
            out.accept(new Rread(tag, bytes));
        });
        if (f.events.hasPendingRead()) {
            f.pendingTag = tag;
            parkedByTag.put(tag, f);
        }
    }

    private void write(Twrite w) {
        Fid f = openFid(w.fid(), false);
        if (w.offset() < 0) {
            throw new RegistryError(E_OFFSET);
        }
        byte[] data = w.data();
        int piece = profile.writeSplit();
        if (piece == 0 || data.length <= piece) {
            writePiece(f, data);
        } else {
            // export passes a long write on in iounit pieces: each is applied until one fails.
            for (int from = 0; from < data.length; from += piece) {
                writePiece(f, Arrays.copyOfRange(data, from, Math.min(data.length, from + piece)));
            }
        }
        out.accept(new Rwrite(w.tag(), data.length));
    }

    private void writePiece(Fid f, byte[] piece) {
        switch (f.kind()) {
            case RegistryState.QSVC:
                state.write(f.service, piece);
                break;
            case RegistryState.QFIND:
                f.filter = RegistryState.parseFilter(piece);
                break;
            default:
                throw new RegistryError(RegistryState.E_GREG);
        }
    }

    private void remove(Tremove r) {
        Fid f = take(r.fid());
        try {
            if (f.kind() != RegistryState.QSVC || f.service == null) {
                throw new RegistryError(RegistryState.E_PERMISSION);
            }
            state.remove(f.service, f.uname);
        } finally {
            release(f);
        }
        out.accept(new Rremove(r.tag()));
    }

    /** Ends every parked event read without a reply. */
    private void abortParked() {
        for (Fid f : parkedByTag.values()) {
            state.cancel(f.events);
            f.pendingTag = -1;
        }
        parkedByTag.clear();
    }

    /** Clunks every fid, as a dropped connection does. Idempotent. */
    void closeAll() {
        List<Fid> all = new ArrayList<>(fids.values());
        fids.clear();
        for (Fid f : all) {
            release(f);
        }
    }

    private void release(Fid f) {
        if (f.events != null && f.pendingTag >= 0) {
            parkedByTag.remove(f.pendingTag);
            state.cancel(f.events);
            out.accept(new Rerror(f.pendingTag, E_CLUNKED));
            f.pendingTag = -1;
        }
        boolean orclose = f.open && (f.mode & StyxMessage.ORCLOSE) != 0;
        if (f.creator) {
            state.release(f.service, orclose);
        } else if (orclose && f.service != null && !f.service.removed && f.service.owner.equals(f.uname)) {
            state.remove(f.service, f.uname);
        }
    }

    private Fid fid(int fid) {
        Fid f = fids.get(fid);
        if (f == null) {
            throw new RegistryError(E_BAD_FID);
        }
        return f;
    }

    private Fid take(int fid) {
        Fid f = fid(fid);
        fids.remove(fid);
        return f;
    }

    private Fid openFid(int fid, boolean forRead) {
        Fid f = fid(fid);
        if (!f.open) {
            throw new RegistryError(E_NOT_OPEN);
        }
        int access = f.mode & 3;
        boolean ok = forRead ? access != StyxMessage.OWRITE : access == StyxMessage.OWRITE || access == StyxMessage.ORDWR;
        if (!ok) {
            throw new RegistryError(E_MODE);
        }
        return f;
    }

    private void claim(int newfid) {
        if (fids.containsKey(newfid)) {
            throw new RegistryError(E_FID_IN_USE);
        }
        if (fids.size() >= maxFids) {
            throw new RegistryError(E_TOO_MANY_FIDS);
        }
    }
}
