package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.LimitExceededException;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

/**
 * The spare fid on {@code new} ({@link SpareNewFid}) against a scripted registry that refuses what
 * the embedded one never does: the spare's walk (never clunked: a direct registry crashes on a
 * clunk of an unknown fid) or open (clunked), a write on the spare (clunked, a fresh one opened), a
 * short {@code Rwrite} below the iounit of the spare's own {@code Ropen}.
 */
class SpareNewFidFailureTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    /** The root and the event file. */
    private static final int SESSION_FIDS = 2;

    private static RegistrySession connect(FakeRegistry registry) {
        ScriptedServer server = NET.server(ScriptedServer.styx(registry));
        return join(NET.styx(StyxClientFaultTest.options(server.port())).connect(new RecordingListener()));
    }

    private static List<Integer> walksToNew(FakeRegistry registry) {
        return registry.received(Twalk.class).stream().filter(w -> w.names().equals(List.of("new")))
                .map(Twalk::newfid).toList();
    }

    private static boolean hasSpare(RegistrySession session) {
        return join(((StyxRegistrySession) session).hasSpare());
    }

    /**
     * @return a registry refusing the first request of {@code type} on the fid of the second walk to
     *     new (the first spare), and, after a refused walk, every request on that fid (it is not
     *     bound) until a walk binds the number again
     */
    private static FakeRegistry refusingOnTheFirstSpare(Class<? extends StyxMessage> type, String error) {
        int[] spare = {-1};
        boolean[] unbound = {false};
        return FakeRegistry.afterConnect((m, out, r) -> {
            if (m instanceof Twalk w && w.names().equals(List.of("new")) && walksToNew(r).size() == 2) {
                spare[0] = w.newfid();
                unbound[0] = type == Twalk.class;
                if (unbound[0]) {
                    out.reply(new Rerror(m.tag(), error));
                }
                return unbound[0];
            }
            int fid = m instanceof Twalk w ? w.newfid() : m instanceof Topen o ? o.fid() : m instanceof Twrite w
                    ? w.fid() : -2;
            if (fid != spare[0]) {
                return false;
            }
            if (m instanceof Twalk) {
                unbound[0] = false;
                spare[0] = -1;
                return false;
            }
            if (unbound[0] || type.isInstance(m)) {
                // as the real registry answers a request on a fid no walk bound
                out.reply(new Rerror(m.tag(), unbound[0] ? "no such fid" : error));
                spare[0] = unbound[0] ? spare[0] : -1;
                return true;
            }
            return false;
        });
    }

    @Test
    void aRefusedWalkLeavesNoSpareNeverClunksItsFidAndIsRetriedAfterTheNextRegistration() {
        FakeRegistry registry = refusingOnTheFirstSpare(Twalk.class, "file does not exist");
        RegistrySession session = connect(registry);
        join(session.register(ServiceEntry.of("one"), RegistrationListener.NONE));
        awaiting().until(() -> walksToNew(registry).size() == 2 && registry.received(Topen.class).size() == 3);

        join(session.register(ServiceEntry.of("two"), RegistrationListener.NONE));

        assertThat(registry.received(Tclunk.class)).as("clunks (a fid the walk never bound is never clunked)")
                .isEmpty();
        awaiting().until(() -> hasSpare(session));
        assertThat(walksToNew(registry)).as("walks to new: one, the refused spare, two (a burst), a spare again")
                .hasSize(4);
        assertThat(StyxClientRegistryTest.client(session).fidsAllocated()).as("fids: session, one, two, the spare")
                .isEqualTo(SESSION_FIDS + 3);
    }

    @Test
    void aRefusedOpenClunksTheSparesFidAndTheNextRegistrationIsABurst() {
        FakeRegistry registry = refusingOnTheFirstSpare(Topen.class, "permission denied");
        RegistrySession session = connect(registry);
        join(session.register(ServiceEntry.of("one"), RegistrationListener.NONE));
        awaiting().until(() -> registry.received(Tclunk.class).size() == 1);
        int spare = walksToNew(registry).get(1);

        join(session.register(ServiceEntry.of("two"), RegistrationListener.NONE));

        assertThat(registry.received(Tclunk.class)).as("clunks: the spare the walk bound").extracting(Tclunk::fid)
                .containsExactly(spare);
        assertThat(registry.received(Twrite.class)).as("writes: one and two, each on the fid of its own burst")
                .extracting(Twrite::fid).containsExactly(walksToNew(registry).get(0), walksToNew(registry).get(2));
        awaiting().until(() -> hasSpare(session));
    }

    @Test
    void aWriteRefusedOnTheSpareReportsTheRegistrysWordsClunksItAndOpensAFreshOne() {
        FakeRegistry registry = refusingOnTheFirstSpare(Twrite.class, "bad service name");
        RegistrySession session = connect(registry);
        join(session.register(ServiceEntry.of("one"), RegistrationListener.NONE));
        awaiting().until(() -> hasSpare(session));
        int spare = walksToNew(registry).get(1);

        Throwable refused = failure(session.register(ServiceEntry.of("two"), RegistrationListener.NONE));

        assertThat(refused).as("failure").isInstanceOf(RegistryErrorException.class).hasMessageContaining("register two");
        assertThat(((RegistryErrorException) refused).registryError()).as("the write's error")
                .isEqualTo("bad service name");
        awaiting().until(() -> hasSpare(session));
        assertThat(registry.received(Tclunk.class)).as("clunks: the refused spare").extracting(Tclunk::fid)
                .containsExactly(spare);
        assertThat(walksToNew(registry)).as("walks to new: one, the spare, a fresh spare").hasSize(3);
        join(session.register(ServiceEntry.of("two"), RegistrationListener.NONE));
        assertThat(registry.received(Twrite.class).get(2).fid()).as("the retry written on the fresh spare")
                .isEqualTo(walksToNew(registry).get(2));
    }

    @Test
    void aShortRwriteOnTheSpareNamesTheIounitOfTheSparesOpenAndUnregistersTheCutService() {
        FakeRegistry registry = FakeRegistry.cuttingWrites(100);
        RegistrySession session = connect(registry);
        join(session.register(ServiceEntry.of("one"), RegistrationListener.NONE));
        awaiting().until(() -> hasSpare(session));
        int spare = walksToNew(registry).get(1);

        Throwable cut = failure(session.register(ServiceEntry.of("svc", "blob", "x".repeat(200)),
                RegistrationListener.NONE));

        assertThat(cut).as("failure").isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("register svc").hasMessageContaining("iounit 100")
                .hasMessageContaining("applied 100 of the 209 bytes");
        assertThat(((LimitExceededException) cut).maximum()).as("maximum: the spare's iounit").isEqualTo(100);
        awaiting().untilAsserted(() -> assertThat(registry.received(Tclunk.class)).as("the cut service clunked")
                .extracting(Tclunk::fid).containsExactly(spare));
        awaiting().until(() -> hasSpare(session));
    }
}
