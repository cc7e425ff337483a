package io.regmgr.runtime.server;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.Quoting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The registry(4) state machine: services, their owners and attributes, the event version and
 * the parked event reads. Front ends (9P, line bridge) translate their protocol into these calls.
 *
 * <p>Not thread-safe: confined to the registry's one Vert.x context (or a test's thread). Lookup by
 * name and by id is O(1); {@code index} and {@code find} are linear in the number of services, and
 * the {@code index} text is rendered once per version however many clients read it.
 */
final class RegistryState {
    static final int SHIFT = 4;
    static final int QROOT = 0;
    static final int QNEW = 1;
    static final int QINDEX = 2;
    static final int QEVENT = 3;
    static final int QFIND = 4;
    static final int QSVC = 5;
    static final int MASK = 0xf;

    static final String E_DUPLICATE = RegistryErrorException.DUPLICATE_SERVICE_NAME;
    static final String E_BAD_NAME = "bad service name";
    static final String E_BAD_CHAR = "bad character in service name";
    static final String E_BAD_SYNTAX = "bad syntax";
    static final String E_ODD = "odd attribute/value pairs";
    static final String E_PERMISSION = "permission denied";
    static final String E_GREG = RegistryErrorException.SERVICE_REMOVED;
    static final String E_NOT_FOUND = "file does not exist";
    static final String E_CONCURRENT_EVENT = "concurrent read for event fid";

    /** Length of one event record, {@code %8.8d\n}. */
    static final int EVENT_RECORD = 9;

    private final Map<String, Service> byName = new LinkedHashMap<>();
    private final Map<Long, Service> byId = new HashMap<>();
    private final Set<EventWatch> parked = new LinkedHashSet<>();
    private final String registryUser;
    private final LongSupplier clock;
    private final RegistryCounters counters;
    private final long startTime;
    private long nextId;
    private int version;
    private byte[] indexCache;

    /**
     * @param registryUser owner of the registry's own files and of static services
     * @param clock seconds since the epoch
     * @param counters where reads are counted
     */
    RegistryState(String registryUser, LongSupplier clock, RegistryCounters counters) {
        this.registryUser = registryUser;
        this.clock = clock;
        this.counters = counters;
        this.startTime = clock.getAsLong();
    }

    /** The event version: bumped once per change; the root directory's {@code qid.vers}. */
    int version() {
        return version;
    }

    /** The registry's start time in seconds: the root's {@code mtime}. */
    long startTime() {
        return startTime;
    }

    String registryUser() {
        return registryUser;
    }

    long now() {
        return clock.getAsLong();
    }

    /** The named services, in registration order. */
    Collection<Service> services() {
        return byName.values();
    }

    Service byName(String name) {
        return byName.get(name);
    }

    Service byId(long id) {
        return byId.get(id);
    }

    /** Opening {@code new}: a fresh, unnamed service owned by {@code owner}. Not a change. */
    Service openNew(String owner, Object creator) {
        Service s = new Service(nextId++, owner, creator, now());
        byId.put(s.id, s);
        return s;
    }

    /**
     * Adds a service at start-up, as {@code -f dbfile} does: persistent, owned by the registry.
     *
     * @return null if added, else the reason it was skipped (the registry's own error string)
     */
    String addStatic(ServiceEntry entry) {
        String refusal = nameRefusal(entry.name());
        if (refusal != null) {
            return refusal;
        }
        Service s = new Service(nextId++, registryUser, null, now());
        s.name = entry.name();
        s.setAttributes(entry.attributes());
        byId.put(s.id, s);
        byName.put(s.name, s);
        indexCache = null;
        return null;
    }

    /**
     * A write on a service file. The first successful naming write names the service; later
     * writes add or replace attributes. Applied whole or not at all (the name excepted: an odd
     * first write still names the service, as the real registry does).
     *
     * @throws RegistryError with the registry's exact error string
     */
    void write(Service s, byte[] data) {
        if (s.removed) {
            throw new RegistryError(E_GREG);
        }
        List<String> words = Quoting.unquote(new String(data, StandardCharsets.UTF_8));
        if (words.isEmpty()) {
            throw new RegistryError(E_BAD_SYNTAX);
        }
        int first = 0;
        if (s.name == null) {
            String refusal = nameRefusal(words.get(0));
            if (refusal != null) {
                throw new RegistryError(refusal);
            }
            s.name = words.get(0);
            byName.put(s.name, s);
            first = 1;
        }
        if ((words.size() - first) % 2 != 0) {
            if (first == 1) {
                changed();
            }
            throw new RegistryError(E_ODD);
        }
        String[] pairs = new String[words.size() - first];
        for (int i = first; i < words.size(); i++) {
            pairs[i - first] = truncateAtNul(words.get(i));
        }
        s.setAttributes(s.attributes().with(Attributes.of(pairs)));
        s.vers++;
        s.mtime = now();
        changed();
    }

    /**
     * The creating handle of {@code s} is closed: the service goes unless it is persistent; with
     * {@code removeAnyway} (opened with ORCLOSE) it goes even then. An unnamed one vanishes quietly.
     */
    void release(Service s, boolean removeAnyway) {
        if (s.removed) {
            return;
        }
        if (s.name == null) {
            s.removed = true;
            byId.remove(s.id);
        } else if (removeAnyway || !s.persistent()) {
            unregister(s);
        }
    }

    /** Removal of a service file by user {@code uname}: its owner only. */
    void remove(Service s, String uname) {
        if (s.removed || s.name == null || !s.owner.equals(uname)) {
            throw new RegistryError(E_PERMISSION);
        }
        unregister(s);
    }

    private void unregister(Service s) {
        s.removed = true;
        byName.remove(s.name);
        byId.remove(s.id);
        changed();
    }

    /** The text of {@code index}: every named service, one line each; rendered once per version. */
    byte[] index() {
        counters.indexRead();
        counters.linesFormatted(byName.size());
        return indexText();
    }

    /** The text of {@code find} for {@code filter}, computed now. */
    byte[] find(Filter filter) {
        counters.findRead();
        if (filter.isAll()) {
            counters.linesFormatted(byName.size());
            return indexText();
        }
        int[] matches = {0};
        byte[] text = render(byName.values(), s -> {
            boolean match = filter.matches(s.attributes());
            matches[0] += match ? 1 : 0;
            return match;
        });
        counters.linesFormatted(matches[0]);
        return text;
    }

    private byte[] indexText() {
        if (indexCache == null) {
            indexCache = render(byName.values(), s -> true);
        }
        return indexCache;
    }

    /** The text of one service file: its line, or nothing once it is gone or while unnamed. */
    byte[] line(Service s) {
        s.atime = now();
        if (s.removed || s.name == null) {
            return new byte[0];
        }
        return s.line().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a filter as a write on {@code find} does.
     *
     * @throws RegistryError {@code odd attribute/value pairs}
     */
    static Filter parseFilter(byte[] data) {
        List<String> words = Quoting.unquote(new String(data, StandardCharsets.UTF_8));
        if (words.size() % 2 != 0) {
            throw new RegistryError(E_ODD);
        }
        List<String> clean = new ArrayList<>(words.size());
        for (String w : words) {
            clean.add(truncateAtNul(w));
        }
        return Filter.of(clean);
    }

    /** Starts watching events: the first read blocks until the next change. */
    EventWatch watchEvents() {
        return new EventWatch(version);
    }

    /**
     * A read on an event file: answered at once if the version moved since this watch last
     * reported, else parked until the next change. {@code count} below 9 truncates the record.
     *
     * @throws RegistryError if a read is already pending on this watch
     */
    void readEvent(EventWatch w, int count, Consumer<byte[]> reply) {
        if (w.pending != null) {
            throw new RegistryError(E_CONCURRENT_EVENT);
        }
        if (w.seen != version) {
            deliver(w, count, reply);
        } else {
            w.pending = reply;
            w.pendingCount = count;
            parked.add(w);
        }
    }

    /** Cancels a parked read (Tflush, clunk, closed connection). @return whether one was parked */
    boolean cancel(EventWatch w) {
        if (w.pending == null) {
            return false;
        }
        w.pending = null;
        parked.remove(w);
        return true;
    }

    private void changed() {
        version++;
        indexCache = null;
        if (parked.isEmpty()) {
            return;
        }
        List<EventWatch> ready = new ArrayList<>(parked);
        parked.clear();
        for (EventWatch w : ready) {
            Consumer<byte[]> reply = w.pending;
            w.pending = null;
            deliver(w, w.pendingCount, reply);
        }
    }

    private void deliver(EventWatch w, int count, Consumer<byte[]> reply) {
        w.seen = version;
        byte[] record = eventRecord(version);
        if (count < record.length) {
            byte[] shortRecord = new byte[Math.max(count, 0)];
            System.arraycopy(record, 0, shortRecord, 0, shortRecord.length);
            record = shortRecord;
        }
        reply.accept(record);
    }

    /** {@code %8.8d\n}. */
    static byte[] eventRecord(int version) {
        String digits = Integer.toString(version);
        StringBuilder b = new StringBuilder(EVENT_RECORD);
        for (int i = digits.length(); i < EVENT_RECORD - 1; i++) {
            b.append('0');
        }
        return b.append(digits).append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The registry's refusal of a name, or null if it is acceptable. */
    String nameRefusal(String name) {
        if (RegistryNames.indexOfBadNameChar(name) >= 0) {
            return E_BAD_CHAR;
        }
        if (name.isEmpty() || RegistryNames.RESERVED.contains(name)) {
            return E_BAD_NAME;
        }
        return byName.containsKey(name) ? E_DUPLICATE : null;
    }

    private static byte[] render(Collection<Service> services, Predicate<Service> include) {
        StringBuilder b = new StringBuilder(Math.max(16, services.size() * 64));
        for (Service s : services) {
            if (include.test(s)) {
                b.append(s.line());
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A NUL ends a value, as it does in the real registry. */
    private static String truncateAtNul(String word) {
        int nul = word.indexOf('\0');
        return nul < 0 ? word : word.substring(0, nul);
    }

    /** The state of one open event file. */
    static final class EventWatch {
        int seen;
        Consumer<byte[]> pending;
        int pendingCount;

        EventWatch(int seen) {
            this.seen = seen;
        }

        boolean hasPendingRead() {
            return pending != null;
        }
    }
}
