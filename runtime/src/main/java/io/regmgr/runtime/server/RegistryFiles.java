package io.regmgr.runtime.server;

import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.Stat;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The registry's file tree as 9P sees it: qids, walks, permissions, stat entries and reads.
 * Static helpers over {@link RegistryState}; confined to the registry's thread.
 */
final class RegistryFiles {
    /** {@link #walk} result: no such file. */
    static final long NOT_FOUND = -1;
    /** {@link #walk} result: walking from a file. */
    static final long NOT_DIR = -2;

    private RegistryFiles() {
    }

    /**
     * One walk step. Every step, {@code ..} included, is taken from a directory (walk(5)): from a
     * file it is {@link #NOT_DIR}. The root is its own parent.
     */
    static long walk(RegistryState state, long from, String name) {
        if (from != RegistryState.QROOT) {
            return NOT_DIR;
        }
        switch (name) {
            case "..":
                return RegistryState.QROOT;
            case "new":
                return RegistryState.QNEW;
            case "index":
                return RegistryState.QINDEX;
            case "event":
                return RegistryState.QEVENT;
            case "find":
                return RegistryState.QFIND;
            default:
                Service s = state.byName(name);
                return s == null ? NOT_FOUND : s.qidPath();
        }
    }

    /** The service a path names, or null. */
    static Service service(RegistryState state, long path) {
        return (path & RegistryState.MASK) == RegistryState.QSVC ? state.byId(path >>> RegistryState.SHIFT) : null;
    }

    static Qid qid(RegistryState state, long path) {
        int kind = (int) (path & RegistryState.MASK);
        if (kind == RegistryState.QROOT) {
            return new Qid(StyxMessage.QTDIR, state.version(), path);
        }
        Service s = kind == RegistryState.QSVC ? service(state, path) : null;
        return new Qid(StyxMessage.QTFILE, s == null ? 0 : s.vers, path);
    }

    /** Permission bits of a file, as registry(4) declares them. */
    private static int perm(int kind) {
        switch (kind) {
            case RegistryState.QROOT:
                return StyxMessage.DMDIR | 0777;
            case RegistryState.QNEW:
            case RegistryState.QFIND:
                return 0666;
            case RegistryState.QSVC:
                return 0644;
            default:
                return 0444;
        }
    }

    /**
     * Checks that {@code f}'s user may open it with {@code mode}, as the real registry does:
     * owner bits for the owner, other bits for everybody else.
     */
    static void checkOpen(RegistryState state, Fid f, int mode) {
        int kind = f.kind();
        Service s = f.service;
        if (kind == RegistryState.QSVC && (s == null || s.removed)) {
            throw new RegistryError(RegistryState.E_NOT_FOUND);
        }
        int perm = perm(kind);
        int access = mode & 3;
        if ((perm & StyxMessage.DMDIR) != 0 && (access != StyxMessage.OREAD || (mode & StyxMessage.OTRUNC) != 0)) {
            throw new RegistryError(StyxSession.E_IS_DIR);
        }
        String owner = s != null ? s.owner : state.registryUser();
        int bits = f.uname.equals(owner) ? (perm >> 6) & 7 : perm & 7;
        int need = access == StyxMessage.OREAD ? 4 : access == StyxMessage.OWRITE ? 2 : access == StyxMessage.ORDWR ? 6 : 1;
        if ((mode & StyxMessage.OTRUNC) != 0) {
            need |= 2;
        }
        boolean removeOnClose = (mode & StyxMessage.ORCLOSE) != 0 && kind == RegistryState.QSVC;
        if ((bits & need) != need || removeOnClose && !f.uname.equals(owner)) {
            throw new RegistryError(RegistryState.E_PERMISSION);
        }
    }

    static Stat stat(RegistryState state, long path) {
        int kind = (int) (path & RegistryState.MASK);
        Qid qid = qid(state, path);
        if (kind == RegistryState.QSVC) {
            Service s = service(state, path);
            if (s == null || s.name == null) {
                throw new RegistryError(RegistryState.E_NOT_FOUND);
            }
            return new Stat(0, 0, qid, perm(kind), s.atime, s.mtime, 0, s.name, s.owner, s.owner, "");
        }
        String user = state.registryUser();
        long t = state.startTime();
        return new Stat(0, 0, qid, perm(kind), t, t, 0, fileName(kind), user, user, "");
    }

    private static String fileName(int kind) {
        switch (kind) {
            case RegistryState.QNEW:
                return "new";
            case RegistryState.QINDEX:
                return "index";
            case RegistryState.QEVENT:
                return "event";
            case RegistryState.QFIND:
                return "find";
            default:
                return ".";
        }
    }

    /**
     * A read of {@code index}, {@code find} or a service file: offset 0 regenerates the text,
     * other offsets continue the same snapshot.
     */
    static byte[] readText(RegistryState state, Fid f, long offset, int count) {
        if (offset == 0 || f.snapshot == null) {
            f.snapshot = generate(state, f);
        }
        return slice(f.snapshot, offset, count);
    }

    private static byte[] generate(RegistryState state, Fid f) {
        switch (f.kind()) {
            case RegistryState.QINDEX:
                return state.index();
            case RegistryState.QFIND:
                return state.find(f.filter);
            case RegistryState.QSVC:
                return f.service == null ? new byte[0] : state.line(f.service);
            default:
                throw new RegistryError(RegistryState.E_GREG);
        }
    }

    /**
     * A read of the root directory: whole stat entries only, offset 0 taking a new snapshot and
     * later offsets continuing it at an entry boundary; a count too small for the next entry reads
     * nothing (the reader sees the end, as from the real registry).
     */
    static byte[] readDirectory(RegistryState state, Fid f, long offset, int count) {
        if (offset == 0 || f.snapshot == null) {
            snapshotDirectory(state, f);
        }
        int start = offset > f.snapshot.length ? -1 : Arrays.binarySearch(f.entryStarts, (int) offset);
        if (start < 0) {
            throw new RegistryError(StyxSession.E_OFFSET);
        }
        if (start == f.entryStarts.length - 1) {
            return new byte[0];
        }
        int end = start;
        while (end + 1 < f.entryStarts.length && f.entryStarts[end + 1] - f.entryStarts[start] <= count) {
            end++;
        }
        // A count too small for the next entry reads nothing, as Inferno's styxservers answers.
        return Arrays.copyOfRange(f.snapshot, f.entryStarts[start], f.entryStarts[end]);
    }

    private static void snapshotDirectory(RegistryState state, Fid f) {
        List<Long> paths = new ArrayList<>();
        paths.add((long) RegistryState.QNEW);
        paths.add((long) RegistryState.QINDEX);
        paths.add((long) RegistryState.QFIND);
        paths.add((long) RegistryState.QEVENT);
        for (Service s : state.services()) {
            paths.add(s.qidPath());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] starts = new int[paths.size() + 1];
        for (int i = 0; i < paths.size(); i++) {
            starts[i] = bytes.size();
            bytes.writeBytes(StyxCodec.encodeStat(stat(state, paths.get(i))));
        }
        starts[paths.size()] = bytes.size();
        f.snapshot = bytes.toByteArray();
        f.entryStarts = starts;
    }

    private static byte[] slice(byte[] data, long offset, int count) {
        if (offset >= data.length) {
            return new byte[0];
        }
        int from = (int) offset;
        return Arrays.copyOfRange(data, from, from + Math.min(count, data.length - from));
    }
}
