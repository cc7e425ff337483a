package io.regmgr.runtime.server;

/**
 * What kind of real registry an {@link EmbeddedRegistry} behaves like, as far as a client can
 * observe it. Chosen with {@link EmbeddedRegistry.Builder#profile(RegistryProfile)} or the
 * launcher's {@code --profile}; the default is {@link #DEFAULT}.
 *
 * <p>Each profile is a fixed set of behaviours (observed on a real hosted Inferno registry, see the
 * project's registry protocol notes, except where the table names Inferno's source instead). Files, error strings, event semantics, quoting and
 * the walk rules are the same in every profile. A later simulated cost model (a service time per
 * request, one request at a time) belongs here as a further property of each constant.
 *
 * <table>
 * <caption>What differs</caption>
 * <tr><th>behaviour</th><th>DEFAULT</th><th>EXPORTED</th><th>DIRECT</th></tr>
 * <tr><td>largest msize offered</td><td>65560</td><td>65560</td><td>8216</td></tr>
 * <tr><td>Tstat above msize 65544</td><td>works</td><td>{@code stat buffer too small}</td><td>n/a</td></tr>
 * <tr><td>write longer than the iounit (8192)</td><td>applied whole</td><td>split in 8192-byte writes,
 *     applied up to the first that fails</td><td>applied whole (it fits one message)</td></tr>
 * <tr><td>owner of a client's services</td><td>its attach uname</td><td>the registry's user, for every
 *     client (so any client may rewrite or remove any service)</td><td>its attach uname</td></tr>
 * <tr><td>Tversion mid-session</td><td>clunks every fid (9P)</td><td>keeps the fids</td><td>clunks
 *     every fid (not observed)</td></tr>
 * <tr><td>bridge find filter</td><td>the first line</td><td>the first read chunk</td><td>the first line</td></tr>
 * <tr><td>9P requests that arrive together (decoded from one read of the socket)</td><td>served in
 *     order</td><td>answered as export's concurrent workers may ({@link ExportWorkers}): for the rest
 *     of the group a walk's newfid is unbound ({@code no such fid}), an opened fid is not open
 *     ({@code open/create -- unknown mode}), and a find read at offset 0 ignores the group's filter
 *     writes. From exportfs.c, not observed on the wire</td><td>served in order (registry.b serves
 *     one loop)</td></tr>
 * </table>
 *
 * <p>Not reproduced in any profile: the direct registry's crash when a client clunks an unknown
 * fid (every profile answers {@code bad fid} and keeps serving), export's own strings for a fid
 * error of a request sent alone ({@code no such fid}, {@code open/create -- unknown mode}: every
 * profile answers with the strings of a request reaching the registry itself), and the real registry's timing.
 * Immutable and thread-safe.
 */
public enum RegistryProfile {
    /** Today's well-behaved server: no size defects, owners by attach uname. */
    DEFAULT(65560, 0, 0, false, false, false, false),
    /**
     * A registry served through {@code export} ({@code styxlisten -A}, {@code listen}): how real
     * registries are usually reached, defects included.
     */
    EXPORTED(65560, 65544, StyxSession.IOUNIT, true, true, true, true),
    /** A 9P connection straight into {@code ndb/registry}: msize at most 8216, attach uname honoured. */
    DIRECT(8216, 0, 0, false, false, false, false);

    private final int maxMessageSize;
    private final int statMsizeLimit;
    private final int writeSplit;
    private final boolean sharedOwner;
    private final boolean versionKeepsFids;
    private final boolean findFilterIsOneChunk;
    private final boolean requestsOfOneReadConcurrent;

    RegistryProfile(int maxMessageSize, int statMsizeLimit, int writeSplit, boolean sharedOwner,
            boolean versionKeepsFids, boolean findFilterIsOneChunk, boolean requestsOfOneReadConcurrent) {
        this.maxMessageSize = maxMessageSize;
        this.statMsizeLimit = statMsizeLimit;
        this.writeSplit = writeSplit;
        this.sharedOwner = sharedOwner;
        this.versionKeepsFids = versionKeepsFids;
        this.findFilterIsOneChunk = findFilterIsOneChunk;
        this.requestsOfOneReadConcurrent = requestsOfOneReadConcurrent;
    }

    /**
     * @param name a profile's name in any case ({@code default}, {@code exported}, {@code direct})
     * @return the profile
     * @throws IllegalArgumentException naming the value and the known profiles
     */
    public static RegistryProfile parse(String name) {
        for (RegistryProfile p : values()) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("profile '" + name + "' is not one of default, exported, direct");
    }

    /** @return the largest msize this kind of registry offers, in bytes */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** @return the msize above which every Tstat fails with {@code stat buffer too small}; 0: none */
    int statMsizeLimit() {
        return statMsizeLimit;
    }

    /** @return the size in which a long write is split and applied piece by piece; 0: applied whole */
    int writeSplit() {
        return writeSplit;
    }

    /** @return whether every 9P client counts as the registry's own user, whatever its attach uname */
    boolean sharedOwner() {
        return sharedOwner;
    }

    /** @return whether a Tversion in the middle of a session keeps the fids */
    boolean versionKeepsFids() {
        return versionKeepsFids;
    }

    /** @return whether the bridge's find port takes its filter from the first read chunk rather than the first line */
    boolean findFilterIsOneChunk() {
        return findFilterIsOneChunk;
    }

    /**
     * @return whether the 9P requests that arrive together (one read of the socket) are answered as
     *     export's concurrent workers may answer them ({@link ExportWorkers}) rather than strictly in order
     */
    boolean requestsOfOneReadConcurrent() {
        return requestsOfOneReadConcurrent;
    }
}
