package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.HeldRequests.Burst;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The spare fid on {@code new} ({@link SpareNewFid}) against the embedded registry over real TCP
 * through a {@link HoldingProxy}, on every profile (behind {@code export} a burst's open and write
 * are refused and sent again one per round trip; the spare's write is alone): after the session's
 * first registration, the next one is exactly one {@code Twrite}, one request on the critical path;
 * the spare is listed nowhere and is no change; a refused write clunks the spare and a fresh one is
 * opened; {@code close()} clunks it; a session that only reads never opens one.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RegistryProfile.class)
class SpareNewFidTest {
    @Parameter
    RegistryProfile profile;
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private EmbeddedRegistry registry;
    private HoldingProxy proxy;
    private HeldRequests held;
    private RegistrySession session;
    private final RecordingListener events = new RecordingListener();

    @BeforeEach
    void connect() {
        registry = NET.registry(b -> b.profile(profile));
        proxy = NET.closeAfter(HoldingProxy.start(NET.vertx(), registry.styxPort()));
        held = new HeldRequests(proxy);
        session = join(NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + proxy.port())
                .requestTimeout(Duration.ofSeconds(5))).connect(events));
    }

    /** @return the fid of the spare, once the session holds one */
    private int spareReady() {
        awaiting().until(() -> join(((StyxRegistrySession) session).hasSpare()));
        return lastWalkToNew();
    }

    private int lastWalkToNew() {
        List<Integer> walks = proxy.sent().stream().filter(m -> m instanceof Twalk w && w.names().equals(List.of("new")))
                .map(m -> ((Twalk) m).newfid()).toList();
        return walks.get(walks.size() - 1);
    }

    private long[] counts() {
        RegistryCounters c = registry.counters();
        return new long[] {c.requests(StyxMessage.TWALK), c.requests(StyxMessage.TOPEN),
            c.requests(StyxMessage.TWRITE), c.requests(StyxMessage.TCLUNK), c.exportRefusals()};
    }

    private long[] since(long[] before) {
        long[] now = counts();
        for (int i = 0; i < now.length; i++) {
            now[i] -= before[i];
        }
        return now;
    }

    @Test
    void theFirstRegistrationIsABurstThenEachIsOneWriteOnTheSpareAndTheSpareIsReplaced() {
        held.inOneRoundTrip(() -> session.register(ServiceEntry.of("first"), RegistrationListener.NONE),
                "Twalk", "Topen", "Twrite");
        int spare = spareReady();
        long[] before = counts();

        Burst<Registration> b = held.inOneRoundTrip(() -> session.register(ServiceEntry.of("second", "proto", "tcp"),
                RegistrationListener.NONE), () -> awaiting().untilAsserted(() -> assertThat(since(before))
                        .as("registry requests on the critical path (walk, open, write, clunk, refused by export),"
                                + " counted before any answer: the write alone").containsExactly(0, 0, 1, 0, 0)),
                "Twrite");

        Registration r = join(b.stage());
        assertThat(b.get(0, Twrite.class).fid()).as("fid written: the spare").isEqualTo(spare);
        assertThat(new String(b.get(0, Twrite.class).data(), StandardCharsets.UTF_8)).as("line").isEqualTo(
                "second proto tcp");
        assertThat(registry.services()).as("registered").containsExactly(ServiceEntry.of("first"),
                ServiceEntry.of("second", "proto", "tcp"));
        int replacement = spareReady();
        assertThat(replacement).as("a replacement walked to new").isNotEqualTo(spare);
        assertThat(proxy.sent()).as("the replacement opened ORDWR").anyMatch(m -> m instanceof Topen o
                && o.fid() == replacement && o.mode() == StyxMessage.ORDWR);
        join(r.update(Attributes.of("load", "1")));
        assertThat(registry.services()).as("updated on the spare's fid").contains(ServiceEntry.of("second", "proto",
                "tcp", "load", "1"));
        join(r.unregister());
        assertThat(registry.services()).as("unregistered").containsExactly(ServiceEntry.of("first"));
    }

    @Test
    void theSpareIsListedNowhereAndNeitherItsOpenNorItsClunkIsAChange() {
        Registration r = join(session.register(ServiceEntry.of("svc", "k", "v"), RegistrationListener.NONE));
        long version = registry.version();
        int spare = spareReady();

        assertThat(registry.version()).as("registry version (the root's qid.vers) after the spare's open")
                .isEqualTo(version);
        assertThat(join(session.index())).as("index").containsExactly(ServiceEntry.of("svc", "k", "v"));
        assertThat(join(session.find(Filter.all()))).as("find of everything").containsExactly(
                ServiceEntry.of("svc", "k", "v"));
        assertThat(registry.indexText()).as("index text").isEqualTo("svc k v\n");
        join(r.unregister());
        assertThat(registry.version()).as("registry version after the unregistration").isEqualTo(version + 1);
        long clunks = registry.counters().requests(StyxMessage.TCLUNK);
        join(session.close());
        awaiting().untilAsserted(() -> assertThat(proxy.sent()).as("the spare clunked on close")
                .anyMatch(m -> m instanceof Tclunk c && c.fid() == spare));
        awaiting().until(() -> registry.counters().requests(StyxMessage.TCLUNK) == clunks + 1);
        assertThat(registry.version()).as("registry version after the spare's clunk").isEqualTo(version + 1);
    }

    @Test
    void aWriteRefusedOnTheSpareClunksItAndAFreshSpareServesTheNextRegistration() {
        join(session.register(ServiceEntry.of("svc"), RegistrationListener.NONE));
        int spare = spareReady();
        long version = registry.version();

        Throwable dup = failure(session.register(ServiceEntry.of("svc", "a", "b"), RegistrationListener.NONE));

        assertThat(dup).as("failure").isInstanceOf(RegistryErrorException.class).hasMessageContaining("register svc");
        assertThat(((RegistryErrorException) dup).isDuplicateName()).as("duplicate service name").isTrue();
        awaiting().untilAsserted(() -> assertThat(proxy.sent()).as("the refused spare clunked")
                .anyMatch(m -> m instanceof Tclunk c && c.fid() == spare));
        int fresh = spareReady();
        assertThat(fresh).as("a fresh spare").isNotEqualTo(spare);
        assertThat(registry.version()).as("registry version: no change").isEqualTo(version);
        Burst<Registration> b = held.inOneRoundTrip(() -> session.register(ServiceEntry.of("other"),
                RegistrationListener.NONE), "Twrite");
        join(b.stage());
        assertThat(b.get(0, Twrite.class).fid()).as("fid written: the fresh spare").isEqualTo(fresh);
        awaiting().untilAsserted(() -> assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids: the root, the event file, svc, other, the spare").isEqualTo(5));
    }

    @Test
    void aSessionThatOnlyReadsNeverOpensNew() {
        join(session.find(Filter.of("proto", "tcp")));
        join(session.index());
        join(session.find(Filter.all()));

        assertThat(join(((StyxRegistrySession) session).hasSpare())).as("spare").isFalse();
        assertThat(proxy.sent()).as("walks to new").noneMatch(m -> m instanceof Twalk w
                && w.names().equals(List.of("new")));
        assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids: the root, the event file, the index and two find fids").isEqualTo(5);
    }

    @Test
    void aLostConnectionTakesTheSpareWithItAndCloseSendsNothing() {
        Registration r = join(session.register(ServiceEntry.of("svc"), RegistrationListener.NONE));
        spareReady();
        // the registration's event re-arms the event read: wait until the client has sent all it will
        int[] seen = {-1};
        awaiting().pollInterval(Duration.ofMillis(100)).until(() -> {
            int n = proxy.sent().size();
            boolean still = n == seen[0];
            seen[0] = n;
            return still;
        });
        int sent = proxy.sent().size();

        registry.dropConnections();

        awaiting().until(() -> !session.isOpen());
        join(session.close());
        assertThat(r.isActive()).as("registration").isFalse();
        assertThat(join(((StyxRegistrySession) session).hasSpare())).as("spare").isFalse();
        assertThat(proxy.sent().subList(sent, proxy.sent().size())).as("sent after the loss").isEmpty();
        assertThat(failure(session.register(ServiceEntry.of("later"), RegistrationListener.NONE)))
                .as("register after the loss").isInstanceOf(RegistryConnectionException.class);
    }

    @Test
    void aSessionWhoseRegistrationsAreAllRefusedOpensNoSpare() {
        RegistrySession other = join(NET.styx(ConnectorOptions.builder(registry.styxAddress().toString()))
                .connect(new RecordingListener()));
        join(other.register(ServiceEntry.of("taken"), RegistrationListener.NONE));

        assertThat(failure(session.register(ServiceEntry.of("taken"), RegistrationListener.NONE)))
                .as("refused").isInstanceOf(RegistryErrorException.class);
        // a spare would have been walked to on the refusal's answer, before this read is sent
        join(session.find(Filter.all()));

        assertThat(proxy.sent()).as("walks to new: the refused registration's only").filteredOn(m -> m instanceof Twalk w
                && w.names().equals(List.of("new"))).hasSize(1);
        assertThat(join(((StyxRegistrySession) session).hasSpare())).as("spare").isFalse();
    }

    /**
     * The breaker's case: the replacement's walk takes the last fid the registry allows the
     * connection, so the next registration's own walk is refused; it names the replacement instead.
     * The cost model widens the window in which the replacement is on its way.
     */
    @Test
    void aRegistrationWhoseWalkFindsNoFidLeftNamesTheReplacementSpare() {
        EmbeddedRegistry small = NET.registry(b -> b.profile(profile).maxFidsPerConnection(8)
                .costModel(io.regmgr.runtime.server.CostModel.INFERNO));
        RegistrySession s = join(NET.styx(ConnectorOptions.builder(small.styxAddress().toString())
                .requestTimeout(Duration.ofSeconds(5))).connect(new RecordingListener()));
        for (int i = 0; i < 4; i++) { // the root, the event file, 4 registrations and the spare: 7 fids
            join(s.register(ServiceEntry.of("f" + i), RegistrationListener.NONE));
            awaiting().until(() -> join(((StyxRegistrySession) s).hasSpare()));
        }

        join(s.register(ServiceEntry.of("f4"), RegistrationListener.NONE)); // on the spare; its replacement takes fid 8
        join(s.register(ServiceEntry.of("f5"), RegistrationListener.NONE));

        assertThat(small.services()).as("registered").hasSize(6);
    }
}
