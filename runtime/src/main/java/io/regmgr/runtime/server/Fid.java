package io.regmgr.runtime.server;

import io.regmgr.Filter;

/** One fid of a 9P connection: where it points, how it is open, and what its reads continue. */
final class Fid {
    final int fid;
    final String uname;
    long path;
    boolean open;
    int mode;
    /** The service this fid's path names (service files and the creating {@code new} fid). */
    Service service;
    /** Opened through {@code new}: closing it releases the service. */
    boolean creator;
    Filter filter = Filter.all();
    /** The text a read at offset 0 generated; later offsets continue it. */
    byte[] snapshot;
    /** Entry boundaries of a directory snapshot. */
    int[] entryStarts;
    RegistryState.EventWatch events;
    int pendingTag = -1;

    Fid(int fid, String uname, long path) {
        this.fid = fid;
        this.uname = uname;
        this.path = path;
    }

    Fid copy(int newfid) {
        Fid f = new Fid(newfid, uname, path);
        f.service = service;
        return f;
    }

    int kind() {
        return (int) (path & RegistryState.MASK);
    }
}
