package io.regmgr.runtime.server;

import io.regmgr.Filter;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tcreate;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.runtime.protocol.StyxMessage.Twstat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What Inferno's {@code export} (emu/port/exportfs.c, behind styxlisten/listen) lets a client
 * observe of requests that arrive together on one connection, for the
 * {@link RegistryProfile#EXPORTED} profile. export reads each T-message and hands it to a pool of
 * worker kprocs, starting a new one whenever none is idle, so requests that arrive together are
 * served concurrently in no fixed order; this class serves them in order but answers each as the
 * worst order export allows (from its source, not observed on the wire):
 * <ul>
 * <li>a Twalk binds its newfid only once its walk returned (Exwalk calls Exmkfid last): any later
 *     request of the group on that newfid is answered {@value #E_NO_FID};</li>
 * <li>a Topen marks the fid open only once the registry's open returned (Exopen): a later Tread,
 *     Twrite or Topen of the group on that fid is answered {@value #E_MODE};</li>
 * <li>a Tread at offset 0 on a {@code find} fid is computed with the filter the fid had when the
 *     group began, as if served before the group's filter writes on that fid.</li>
 * </ul>
 * Requests on independent fids are unaffected, and the registry still serves one at a time.
 *
 * <p>A <em>group</em> is the requests decoded from one read of the socket: {@link StyxConnection}
 * numbers its reads, and a test that writes a burst in one write (small enough for one read:
 * a new connection's first read buffer is 2 KiB) gets the same answers every run. The refusals
 * are export's own answers: they cost the registry nothing under a {@link CostModel}.
 * Confined to the registry's thread, like the session it serves.
 */
final class ExportWorkers {
    /** exportfs.c's Enofid: the fid is not (yet) in export's table. */
    static final String E_NO_FID = "no such fid";
    /** exportfs.c's Emode: the fid is not (yet) open for a read or write, or already open for an open. */
    static final String E_MODE = "open/create -- unknown mode";

    private final StyxSession session;
    private final Consumer<StyxMessage> out;
    /** The group being served; requests of a later group see everything done before. */
    private long group = -1;
    /** Newfids of this group's walks that were not bound when the walk came. */
    private final Set<Integer> unbound = new HashSet<>();
    /** Fids of this group's opens that were not open when the open came. */
    private final Set<Integer> opening = new HashSet<>();
    /** The filter each find fid had before this group's first write on it. */
    private final Map<Integer, Filter> filterBefore = new HashMap<>();

    ExportWorkers(StyxSession session, Consumer<StyxMessage> out) {
        this.session = session;
        this.out = out;
    }

    /**
     * Serves {@code m}, a request of read number {@code read}.
     *
     * @return the registry requests it cost: 0 if export answered it itself, else 1
     */
    int serve(StyxMessage m, long read) {
        if (read != group) {
            group = read;
            unbound.clear();
            opening.clear();
            filterBefore.clear();
        }
        String refusal = refusal(m);
        if (refusal != null) {
            out.accept(new Rerror(m.tag(), refusal));
            return 0;
        }
        note(m);
        Fid f = m instanceof Tread r && r.offset() == 0 ? session.lookup(r.fid()) : null;
        Filter before = f == null ? null : filterBefore.get(f.fid);
        if (before == null) {
            session.handle(m);
            return 1;
        }
        // the read reached the registry before the group's filter writes on this fid
        Filter now = f.filter;
        f.filter = before;
        try {
            session.handle(m);
        } finally {
            f.filter = now;
        }
        return 1;
    }

    /** @return the error export answers {@code m} with, in the worst order, or null to serve it */
    private String refusal(StyxMessage m) {
        if (m instanceof Twalk w && w.newfid() != w.fid() && session.lookup(w.newfid()) == null) {
            // recorded first: a walk from an unbound fid binds nothing either
            unbound.add(w.newfid());
        }
        int fid = fidOf(m);
        if (fid != StyxMessage.NOFID && unbound.contains(fid)) {
            return E_NO_FID;
        }
        boolean needsOpen = m instanceof Tread || m instanceof Twrite || m instanceof Topen;
        return needsOpen && opening.contains(fid) ? E_MODE : null;
    }

    /** Records what {@code m}, about to be served, leaves pending for the rest of the group. */
    private void note(StyxMessage m) {
        if (m instanceof Topen o) {
            Fid f = session.lookup(o.fid());
            if (f != null && !f.open) {
                opening.add(o.fid());
            }
        } else if (m instanceof Twrite w) {
            Fid f = session.lookup(w.fid());
            if (f != null && f.open && f.kind() == RegistryState.QFIND) {
                filterBefore.putIfAbsent(w.fid(), f.filter);
            }
        }
    }

    /** @return the fid a request works on (a walk's starting fid), or {@link StyxMessage#NOFID} */
    private static int fidOf(StyxMessage m) {
        if (m instanceof Twalk w) {
            return w.fid();
        } else if (m instanceof Topen o) {
            return o.fid();
        } else if (m instanceof Tread r) {
            return r.fid();
        } else if (m instanceof Twrite w) {
            return w.fid();
        } else if (m instanceof Tclunk c) {
            return c.fid();
        } else if (m instanceof Tremove r) {
            return r.fid();
        } else if (m instanceof Tstat s) {
            return s.fid();
        } else if (m instanceof Tcreate c) {
            return c.fid();
        } else if (m instanceof Twstat s) {
            return s.fid();
        }
        return StyxMessage.NOFID;
    }
}
