package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.StyxClient.ROOT_FID;
import static io.regmgr.runtime.protocol.StyxMessage.OREAD;

import io.regmgr.Filter;
import io.regmgr.InvalidEntryException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.RegistryLines;
import io.regmgr.runtime.protocol.Stat;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A {@link RegistrySession} over one 9P2000 connection ({@link StyxClient}): live while its event
 * read is. A {@code Tread} of the {@code event} file is outstanding except just after a change: each
 * answer is reported to {@link SessionListener#changed} and the read re-issued right behind the first
 * read of {@code index} or {@code find} that follows (or after {@value #REARM_WAIT_MS} ms without one).
 * The registry serves one request at a time, so an event read sent first would delay the change's
 * reads by one request; a change meanwhile is not lost, the event fid answers the next read at once
 * with the latest version.
 *
 * <p>Reads of {@code index} and {@code find} go through fids kept open for the session, one per
 * distinct filter ({@link KeptReads}); once the session has registered, one fid is kept opened on
 * {@code new} for the next registration ({@link SpareNewFid}); every other operation opens its own
 * fid and clunks it at the end (a registration keeps its fid until unregistered). Writes travel whole in one message or are refused before sending.
 *
 * <p>Thread-safe: public methods may be called from any thread and hop onto the connection's
 * context; results complete there. The listener is called there, in order; its exceptions are
 * logged and ignored.
 */
final class StyxRegistrySession implements RegistrySession {
    private static final System.Logger LOG = System.getLogger(StyxRegistrySession.class.getName());
    /** Bytes asked of each event read: the version line is 9 bytes; a short count would lose it. */
    static final int EVENT_READ_COUNT = 64;
    /** How long the event read waits after a change for a read to go out ahead of it, in milliseconds. */
    static final long REARM_WAIT_MS = 2;

    private final StyxClient client;
    private final StyxFiles files;
    private final SessionListener listener;
    private final long initialVersion;
    private final Instant startTime;
    private final int eventFid;
    private final Set<StyxRegistration> registrations = new LinkedHashSet<>();
    private final KeptReads kept;
    private final SpareNewFid spare;
    /** The largest read or write in one message, from the iounit of the event file's {@code Ropen}. */
    private final int ioUnit;
    /** Whether the event read is to be re-issued (after a change, behind the change's reads). */
    private boolean rearmDue;
    /** Whether a read of this turn already queued the re-arm (one queued task, not one per read). */
    private boolean rearmQueued;

    private StyxRegistrySession(StyxFiles files, SessionListener listener, long initialVersion, Instant startTime,
            int eventFid, int ioUnit) {
        this.client = files.client();
        this.files = files;
        this.listener = listener;
        this.initialVersion = initialVersion;
        this.startTime = startTime;
        this.eventFid = eventFid;
        this.ioUnit = ioUnit;
        this.kept = new KeptReads(files, ioUnit);
        this.spare = new SpareNewFid(files, client.options().spareNewFid());
    }

    /**
     * Reads the root's stat (version, start time), opens {@code event} and issues its first read.
     * The {@code Tstat}, the {@code Twalk} to {@code event} and its {@code Topen} go out together
     * ({@link FidBurst}): one round trip after the attach instead of three. The {@code Ropen}'s
     * iounit is the session's: one server announces one iounit (0: msize - 24), so every later
     * write and read is sized by it before its file is open. On the client's context.
     *
     * @param onEnd told once when the session ends, after the listener
     * @return the session, complete once the event read is outstanding; fails with the first failure
     *     of the stat, the walk and the open, in that order
     */
    static Future<StyxRegistrySession> open(StyxClient client, SessionListener listener,
            Consumer<StyxRegistrySession> onEnd) {
        StyxFiles files = new StyxFiles(client);
        String what = "open the event stream of " + client.address();
        Future<Stat> root = files.stat(ROOT_FID, "stat of the root of " + client.address());
        FidBurst burst = files.burst(ROOT_FID, "event", what);
        Future<Ropen> opened = burst.then(() -> files.open(burst.fid(), OREAD, what));
        Future<Integer> event = burst.end(true);
        return StyxFiles.firstFailure(root, event).map(v -> {
            StyxRegistrySession s = new StyxRegistrySession(files, listener,
                    Integer.toUnsignedLong(root.result().qid().version()),
                    Instant.ofEpochSecond(root.result().mtime()), event.result(),
                    files.ioLimit(opened.result().iounit()));
            client.onEnd(cause -> {
                s.ended(cause);
                onEnd.accept(s);
            });
            s.readEvents();
            return s;
        });
    }

    private void readEvents() {
        String what = "event read of " + client.address();
        // size[4] Tread tag[2] fid[4] offset[8] count[4]; an event file ignores the offset
        client.callUntimed(Rread.class, what, tag -> new Tread(tag, eventFid, 0, EVENT_READ_COUNT))
                .onComplete(ar -> {
                    if (!client.isOpen()) {
                        return;
                    }
                    if (ar.failed()) {
                        client.closeWith(new RegistryConnectionException(client.address(),
                                "the registry ended the event stream: " + ar.cause().getMessage(), ar.cause()));
                        return;
                    }
                    long version;
                    try {
                        version = EventRecords.parseVersion(ar.result().data(), client.address());
                    } catch (ProtocolViolationException e) {
                        client.closeWith(e);
                        return;
                    }
                    rearmDue = true;
                    notifyChanged(version);
                    if (rearmDue && !rearmQueued) {
                        Vertx.currentContext().owner().setTimer(REARM_WAIT_MS, id -> rearm());
                    }
                });
    }

    /** Re-issues the event read if a change left it due and the connection is open. On the client's context. */
    private void rearm() {
        rearmQueued = false;
        if (rearmDue && client.isOpen()) {
            rearmDue = false;
            readEvents();
        }
    }

    /**
     * A read of the registry went out: the event read follows it, after the other reads of this
     * turn of the context (every filter of one change), so the registry serves them first.
     */
    private void readSent() {
        if (rearmDue && !rearmQueued) {
            rearmQueued = true;
            Vertx.currentContext().runOnContext(v -> rearm());
        }
    }

    private void notifyChanged(long version) {
        try {
            listener.changed(version);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session listener failed on changed(" + version + ")", e);
        }
    }

    /** The connection ended: every registration is dropped, then the listener is told. */
    private void ended(Throwable cause) {
        Throwable dropCause = cause != null ? cause
                : new RegistryConnectionException(client.address(), "session closed by the client", null);
        spare.lost();
        List<StyxRegistration> active = new ArrayList<>(registrations);
        registrations.clear();
        active.forEach(r -> r.dropped(dropCause, false));
        try {
            listener.closed(cause);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session listener failed on closed(" + cause + ")", e);
        }
    }

    @Override
    public CompletionStage<Registration> register(ServiceEntry entry, RegistrationListener listener) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(listener, "listener");
        return client.run(() -> whileOpen().compose(v -> doRegister(entry, listener)));
    }

    /**
     * A fid on {@code new} named by the line ({@link SpareNewFid#name}): the {@code Twrite} alone on
     * the spare fid when one is ready, else the walk, open and write sent together; a line longer
     * than the session's iounit is refused before anything is sent. The registration keeps the fid
     * and writes its updates within the iounit of that fid's {@code Ropen}.
     */
    private Future<Registration> doRegister(ServiceEntry entry, RegistrationListener listener) {
        String what = "register " + entry.name() + " on " + client.address();
        byte[] bytes = WireChecks.checkFits(RegistryLines.format(entry), ioUnit, what);
        return spare.name(bytes, what).map(s -> track(new StyxRegistration(this, s.fid(), entry,
                files.ioLimit(s.opened().iounit()), listener)));
    }

    private Registration track(StyxRegistration r) {
        registrations.add(r);
        return r;
    }

    @Override
    public CompletionStage<List<ServiceEntry>> find(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        return client.run(() -> whileOpen().compose(v -> query("find", filter, "find " + filter.words())));
    }

    @Override
    public CompletionStage<List<ServiceEntry>> index() {
        return client.run(() -> whileOpen().compose(v -> query("index", null, "index")));
    }

    /**
     * Reads {@code file} (after writing the filter, if any) on a fid kept open and parses the
     * listing, keeping only the services the filter matches. The registry computes a find's answer
     * when the read at offset 0 is served, from one snapshot; a new fid's first read, sent in the
     * same burst as the filter write ({@link FidBurst}), may be served before the write by a server
     * that does not keep one connection's order, and then lists every service of that snapshot.
     * {@link Filter#matches} is registry.b's own {@code Filter.match} (every pair of the filter
     * carried, with an equal value or {@code *}), so the services it keeps are exactly the filtered
     * answer of the same snapshot, at no further request.
     */
    private Future<List<ServiceEntry>> query(String file, Filter filter, String op) {
        String what = op + " on " + client.address();
        // a fresh find fid has no filter: Filter.all() needs no write (and an empty write is not possible)
        byte[] filterBytes = filter == null || filter.isAll() ? null
                : WireChecks.checkFits(RegistryLines.formatFilter(filter), ioUnit, what);
        Future<List<ServiceEntry>> answer = readParsed(file, filterBytes, filterBytes == null ? null : filter, what);
        readSent();
        return answer;
    }

    private Future<List<ServiceEntry>> readParsed(String file, byte[] filterBytes, Filter filter, String what) {
        // the answer is bounded to maxAnswerBytes, which bounds its record count too
        return kept.read(file, filterBytes, client.options().maxAnswerBytes(), what)
                .<List<ServiceEntry>>map(bytes -> ReadAnswer.of(matching(
                        RegistryLines.parseAll(utf8(bytes, what), Integer.MAX_VALUE), filter), bytes.length))
                // a registry that lists garbage is misbehaving: its connection is not to be trusted
                .onFailure(e -> {
                    if (e instanceof ProtocolViolationException) {
                        client.closeWith(e);
                    }
                });
    }

    /** @return the services of {@code entries} that {@code filter} matches; all of them for no filter */
    private static List<ServiceEntry> matching(List<ServiceEntry> entries, Filter filter) {
        return filter == null ? entries : entries.stream().filter(e -> filter.matches(e.attributes())).toList();
    }

    private String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolViolationException("9P from " + client.address() + ": the answer to " + what
                    + " is not valid UTF-8 (" + e + ")", e);
        }
    }

    @Override
    public CompletionStage<Void> remove(String serviceName) {
        return client.run(() -> {
            RegistryNames.checkServiceName(serviceName);
            if (serviceName.equals("..")) {
                throw new InvalidEntryException("Invalid service name '..': 9P walks '..' to the registry's root");
            }
            String what = "remove " + serviceName + " on " + client.address();
            // the Twalk and the Tremove go out together: the remove fails on an unknown fid if the walk did
            return whileOpen().compose(v -> {
                FidBurst burst = files.burst(ROOT_FID, serviceName, what);
                files.remove(burst, what);
                return burst.end(false).mapEmpty();
            });
        });
    }

    @Override
    public boolean canRemove() {
        return true;
    }

    @Override
    public OptionalLong initialVersion() {
        return OptionalLong.of(initialVersion);
    }

    @Override
    public Optional<Instant> registryStartTime() {
        return Optional.of(startTime);
    }

    @Override
    public boolean isOpen() {
        return client.isOpen();
    }

    @Override
    public CompletionStage<Void> close() {
        return client.run(() -> {
            spare.close();
            // closed in the next turn of the context, once the clunk queued in this one is written
            Promise<Void> closed = Promise.promise();
            Vertx.currentContext().runOnContext(v -> client.close().onComplete(closed));
            return closed.future();
        });
    }

    /** @return succeeds while the connection is open; else fails with {@link RegistryConnectionException} */
    Future<Void> whileOpen() {
        return client.isOpen() ? Future.succeededFuture() : Future.failedFuture(client.closedFailure());
    }

    /** A registration is gone (unregistered or dropped): stop tracking it. */
    void forget(StyxRegistration r) {
        registrations.remove(r);
    }

    /** @return whether a spare fid on {@code new} is ready now (diagnostics, tests); completes on the context */
    CompletionStage<Boolean> hasSpare() {
        return client.run(() -> Future.succeededFuture(spare.isReady()));
    }

    StyxFiles files() {
        return files;
    }

    StyxClient client() {
        return client;
    }

    @Override
    public String toString() {
        return "9P2000 session with " + client.address() + (client.isOpen() ? "" : " (closed)");
    }
}
