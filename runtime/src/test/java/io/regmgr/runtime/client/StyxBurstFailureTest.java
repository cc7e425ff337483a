package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Filter;
import io.regmgr.LimitExceededException;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The failures of a burst ({@link FidBurst}) that the embedded registry never gives, from a
 * scripted registry: each step refused in turn, the exact error reported, the fid clunked only when
 * the walk bound it, none left allocated, the connection still open; and a registry that opens
 * {@code new} with an iounit below the line it then applies partially (a short {@code Rwrite}).
 */
class StyxBurstFailureTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    /** The root and the event file. */
    private static final int SESSION_FIDS = 2;

    private RegistrySession connect(FakeRegistry registry) {
        ScriptedServer server = NET.server(ScriptedServer.styx(registry));
        // the burst itself: what a registration is without a spare fid on new (SpareNewFidFailureTest: with one)
        return join(NET.styx(StyxClientFaultTest.options(server.port()).spareNewFid(false))
                .connect(new RecordingListener()));
    }

    /** @return the fids of the walks to {@code name}, in order */
    private static List<Integer> walkedTo(FakeRegistry registry, String name) {
        return registry.received(Twalk.class).stream().filter(w -> w.names().equals(List.of(name)))
                .map(Twalk::newfid).toList();
    }

    private static void noFidLeft(RegistrySession session) {
        awaiting().untilAsserted(() -> assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids allocated: the root and the event file only").isEqualTo(SESSION_FIDS));
        assertThat(session.isOpen()).as("session still open").isTrue();
    }

    /** @return a hook refusing the first request of {@code type} (after the session opened) with {@code error} */
    private static FakeRegistry refusing(Class<? extends StyxMessage> type, String error, Set<Integer> unbound) {
        return FakeRegistry.afterConnect((m, out, r) -> {
            if (type.isInstance(m) && unbound.isEmpty()) {
                unbound.add(m instanceof Twalk w ? w.newfid() : -1);
                out.reply(new Rerror(m.tag(), error));
                return true;
            }
            if (m instanceof Twalk) {
                return false;
            }
            int fid = m instanceof Topen o ? o.fid() : m instanceof Twrite w ? w.fid() : m instanceof Tread t ? t.fid() : -2;
            if (unbound.contains(fid)) {
                // as the real registry answers a request on a fid no walk bound
                out.reply(new Rerror(m.tag(), "no such fid"));
                return true;
            }
            return false;
        });
    }

    @Test
    void aRefusedWalkToNewReportsTheWalksErrorAndNeverClunksTheFid() {
        Set<Integer> unbound = new HashSet<>();
        FakeRegistry registry = refusing(Twalk.class, "file does not exist", unbound);
        RegistrySession session = connect(registry);

        Throwable refused = failure(session.register(ServiceEntry.of("svc", "a", "b"), RegistrationListener.NONE));

        assertThat(refused).as("failure").isInstanceOf(RegistryErrorException.class).hasMessageContaining("register svc");
        assertThat(((RegistryErrorException) refused).registryError()).as("the walk's error, not the open's")
                .isEqualTo("file does not exist");
        assertThat(registry.received(Twrite.class)).as("writes sent behind the walk").hasSize(1);
        noFidLeft(session);
        assertThat(registry.received(Tclunk.class)).as("clunks of a fid never bound (a direct registry crashes)")
                .isEmpty();
    }

    /** The open refused, or the write (the registry's refusal of a line: duplicate name, bad syntax). */
    static Stream<Arguments> laterSteps() {
        return Stream.of(Arguments.of(Topen.class, "permission denied"), Arguments.of(Twrite.class, "bad syntax"),
                Arguments.of(Twrite.class, "duplicate service name"));
    }

    @ParameterizedTest(name = "{0} refused: {1}")
    @MethodSource("laterSteps")
    void aRefusedOpenOrWriteReportsThatErrorAndClunksTheFid(Class<? extends StyxMessage> step, String error) {
        FakeRegistry registry = refusing(step, error, new HashSet<>());
        RegistrySession session = connect(registry);

        Throwable refused = failure(session.register(ServiceEntry.of("svc"), RegistrationListener.NONE));

        assertThat(((RegistryErrorException) refused).registryError()).as("the refused step's error").isEqualTo(error);
        noFidLeft(session);
        assertThat(registry.received(Tclunk.class)).as("clunks").extracting(Tclunk::fid)
                .containsExactly(walkedTo(registry, "new").get(0));
    }

    @Test
    void aRefusedFilterWriteFailsTheFindDiscardsTheReadBehindItAndTheNextFindOpensAfresh() {
        FakeRegistry registry = refusing(Twrite.class, "odd attribute/value pairs", new HashSet<>());
        RegistrySession session = connect(registry);

        Throwable refused = failure(session.find(Filter.of("proto", "tcp")));
        assertThat(((RegistryErrorException) refused).registryError()).as("the filter write's error")
                .isEqualTo("odd attribute/value pairs");
        noFidLeft(session);
        assertThat(join(session.find(Filter.of("proto", "tcp")))).as("the next find, on a fid opened afresh").isEmpty();
        assertThat(walkedTo(registry, "find")).as("walks to find").hasSize(2);
    }

    @Test
    void anIounitBelowTheLineWithAShortRwriteUnregistersTheCutServiceAndNamesTheIounit() {
        FakeRegistry registry = FakeRegistry.cuttingWrites(100);
        RegistrySession session = connect(registry);
        ServiceEntry entry = ServiceEntry.of("svc", "blob", "x".repeat(200));

        Throwable cut = failure(session.register(entry, RegistrationListener.NONE));

        assertThat(cut).as("failure").isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("register svc").hasMessageContaining("iounit 100")
                .hasMessageContaining("applied 100 of the 209 bytes");
        assertThat(((LimitExceededException) cut).maximum()).as("maximum: the iounit").isEqualTo(100);
        assertThat(((LimitExceededException) cut).actual()).as("actual: the line").isEqualTo(209);
        noFidLeft(session);
        assertThat(registry.received(Tclunk.class)).as("the cut service clunked").extracting(Tclunk::fid)
                .containsExactly(walkedTo(registry, "new").get(0));
    }

    /**
     * As Inferno's {@code export} can answer: its worker processes serve the requests of one
     * connection in parallel, so an open sent behind a walk may find the fid not yet bound, and a
     * write the fid not yet open; each such refusal is answered once, then the registry behaves.
     */
    @Test
    void requestsServedBeforeTheWalkOrTheOpenAreSentAgainInOrderAndTheRegistrationSucceeds() {
        Set<Class<?>> refusedOnce = new HashSet<>();
        FakeRegistry registry = FakeRegistry.afterConnect((m, out, r) -> {
            if ((m instanceof Topen || m instanceof Twrite) && refusedOnce.add(m.getClass())) {
                out.reply(new Rerror(m.tag(), m instanceof Topen ? "no such fid" : "open/create -- unknown mode"));
                return true;
            }
            return false;
        });
        RegistrySession session = connect(registry);

        join(session.register(ServiceEntry.of("svc", "a", "b"), RegistrationListener.NONE));

        int fid = walkedTo(registry, "new").get(0);
        assertThat(registry.received(Topen.class)).as("opens of the new fid: the burst's, then once more")
                .extracting(Topen::fid).containsSubsequence(fid, fid).hasSize(3);
        assertThat(registry.received(Twrite.class)).as("writes: the burst's, then once more").hasSize(2);
        assertThat(registry.received(Tclunk.class)).as("clunks").isEmpty();
        awaiting().untilAsserted(() -> assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids: the root, the event file, the registration").isEqualTo(SESSION_FIDS + 1));
    }

    @Test
    void aRemoveServedBeforeItsWalkIsSentAgainAndItsFidGivenBackOnce() {
        Set<Class<?>> refusedOnce = new HashSet<>();
        FakeRegistry registry = FakeRegistry.afterConnect((m, out, r) -> {
            if (m instanceof StyxMessage.Tremove && refusedOnce.add(m.getClass())) {
                out.reply(new Rerror(m.tag(), "no such fid"));
                return true;
            }
            return false;
        });
        RegistrySession session = connect(registry);

        join(session.remove("svc"));

        assertThat(registry.received(StyxMessage.Tremove.class)).as("removes").hasSize(2);
        noFidLeft(session);
    }

    /**
     * The first read of a new find fid served before its filter was written: every service listed;
     * the find keeps those its filter matches, at no further read.
     */
    @Test
    void aFindAnswerListingServicesTheFilterDoesNotMatchIsFilteredByTheClient() {
        int[] reads = {0};
        FakeRegistry registry = FakeRegistry.afterConnect((m, out, r) -> {
            if (m instanceof Tread t && t.fid() != r.eventRead().fid()) {
                String text = reads[0]++ == 0 ? "web proto http\nmail proto smtp\n" : "web proto http\n";
                out.reply(new StyxMessage.Rread(t.tag(), text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                return true;
            }
            return false;
        });
        RegistrySession session = connect(registry);

        assertThat(join(session.find(Filter.of("proto", "http")))).as("find")
                .containsExactly(ServiceEntry.of("web", "proto", "http"));
        assertThat(reads[0]).as("reads of the find fid: the burst's only").isEqualTo(1);
    }
}
