package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Filter;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.HeldRequests.Burst;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Every multi-step 9P operation in one round trip, against the embedded registry over real TCP
 * through a {@link HoldingProxy}: the registry's answers are held while the operation starts, so a
 * request sent only after an answer can never reach the registry; the test waits for the whole
 * burst to arrive, checks its order and fids, then releases the answers. Also the failures a
 * real registry gives (a walk to a missing file, a duplicate name) with the exact error and no fid
 * left allocated. Run against every client-suite profile.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
class StyxBurstTest {
    @Parameter
    RegistryProfile profile;
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private EmbeddedRegistry registry;
    private HoldingProxy proxy;
    private RegistrySession session;
    private int baseFids;

    @BeforeEach
    void connect() {
        registry = NET.registry(b -> b.profile(profile));
        proxy = NET.closeAfter(HoldingProxy.start(NET.vertx(), registry.styxPort()));
        session = join(NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + proxy.port())
                // the bursts themselves: a registration without a spare fid on new (SpareNewFidTest: with one)
                .requestTimeout(Duration.ofSeconds(5)).spareNewFid(false)).connect(new RecordingListener()));
        // the root and the event file
        baseFids = StyxClientRegistryTest.client(session).fidsAllocated();
    }

    private <T> Burst<T> inOneRoundTrip(Supplier<CompletionStage<T>> operation, String... expected) {
        return new HeldRequests(proxy).inOneRoundTrip(operation, expected);
    }

    private List<StyxMessage> sentSince(int from) {
        return new HeldRequests(proxy).sentSince(from);
    }

    private void noFidLeft() {
        awaiting().untilAsserted(() -> assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids allocated: the root and the event file only").isEqualTo(baseFids));
    }

    @Test
    void aRegistrationIsTheWalkTheOpenAndTheWriteInOneRoundTrip() {
        ServiceEntry entry = ServiceEntry.of("svc", "proto", "tcp");

        Burst<Registration> b = inOneRoundTrip(() -> session.register(entry, RegistrationListener.NONE),
                "Twalk", "Topen", "Twrite");

        Registration r = join(b.stage());
        Twalk walk = b.get(0, Twalk.class);
        assertThat(walk.names()).as("walked to").containsExactly("new");
        assertThat(b.get(1, Topen.class).fid()).as("fid opened").isEqualTo(walk.newfid());
        assertThat(b.get(1, Topen.class).mode()).as("open mode").isEqualTo(StyxMessage.ORDWR);
        assertThat(b.get(2, Twrite.class).fid()).as("fid written").isEqualTo(walk.newfid());
        assertThat(new String(b.get(2, Twrite.class).data(), StandardCharsets.UTF_8)).as("line written")
                .isEqualTo("svc proto tcp");
        assertThat(registry.services()).as("registered").containsExactly(entry);
        assertThat(r.isActive()).as("active").isTrue();
        join(r.unregister());
        noFidLeft();
    }

    @Test
    void aNewFindFidIsTheWalkTheOpenTheFilterAndTheFirstReadInOneRoundTripThenOneReadPerFind() {
        join(session.register(ServiceEntry.of("web", "proto", "http"), RegistrationListener.NONE));
        join(session.register(ServiceEntry.of("mail", "proto", "smtp"), RegistrationListener.NONE));

        Burst<List<ServiceEntry>> first = inOneRoundTrip(() -> session.find(Filter.of("proto", "http")),
                "Twalk", "Topen", "Twrite", "Tread");
        Burst<List<ServiceEntry>> again = inOneRoundTrip(() -> session.find(Filter.of("proto", "http")), "Tread");

        assertThat(join(first.stage())).as("first find").containsExactly(ServiceEntry.of("web", "proto", "http"));
        assertThat(join(again.stage())).as("second find").containsExactly(ServiceEntry.of("web", "proto", "http"));
        int fid = first.get(0, Twalk.class).newfid();
        assertThat(first.get(0, Twalk.class).names()).as("walked to").containsExactly("find");
        assertThat(first.sent()).as("every request names the fid walked").allMatch(m -> fidOf(m) == fid);
        assertThat(new String(first.get(2, Twrite.class).data(), StandardCharsets.UTF_8)).as("filter written")
                .isEqualTo("proto http");
        assertThat(first.get(3, Tread.class).offset()).as("first read's offset").isZero();
        assertThat(again.get(0, Tread.class).fid()).as("second find: a read on the kept fid").isEqualTo(fid);
        assertThat(again.get(0, Tread.class).offset()).as("second read's offset").isZero();
    }

    @Test
    void theIndexFidIsTheWalkTheOpenAndTheFirstReadInOneRoundTrip() {
        join(session.register(ServiceEntry.of("a"), RegistrationListener.NONE));

        Burst<List<ServiceEntry>> b = inOneRoundTrip(() -> session.index(), "Twalk", "Topen", "Tread");

        assertThat(join(b.stage())).as("index").containsExactly(ServiceEntry.of("a"));
        assertThat(b.get(0, Twalk.class).names()).as("walked to").containsExactly("index");
        assertThat(b.get(1, Topen.class).mode()).as("open mode").isEqualTo(StyxMessage.OREAD);
    }

    @Test
    void aRemovalIsTheWalkAndTheRemoveInOneRoundTrip() {
        join(session.register(ServiceEntry.of("gone"), RegistrationListener.NONE));

        Burst<Void> b = inOneRoundTrip(() -> session.remove("gone"), "Twalk", "Tremove");

        join(b.stage());
        assertThat(b.get(1, Tremove.class).fid()).as("fid removed").isEqualTo(b.get(0, Twalk.class).newfid());
        assertThat(registry.services()).as("services").isEmpty();
        awaiting().untilAsserted(() -> assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids: the root, the event file, the removed service's creator fid (still open, dropped on its"
                        + " next write)").isEqualTo(baseFids + 1));
    }

    @Test
    void aRemovalWhoseWalkIsRefusedReportsTheWalksErrorAndLeavesNoFid() {
        Burst<Void> b = inOneRoundTrip(() -> session.remove("nosuch"), "Twalk", "Tremove");

        Throwable missing = failure(b.stage());

        assertThat(missing).as("failure").isInstanceOf(RegistryErrorException.class);
        assertThat(((RegistryErrorException) missing).registryError()).as("the walk's error")
                .isEqualTo("file does not exist");
        noFidLeft();
        assertThat(sentSince(0)).extracting(m -> m.getClass().getSimpleName()).as("no clunk of a fid the walk never bound").doesNotContain("Tclunk");
    }

    @Test
    void aDuplicateNameReportsTheWritesErrorAndClunksTheUnnamedFid() {
        join(session.register(ServiceEntry.of("svc"), RegistrationListener.NONE));
        long version = registry.version();

        Burst<Registration> b = inOneRoundTrip(() -> session.register(ServiceEntry.of("svc", "a", "b"),
                RegistrationListener.NONE), "Twalk", "Topen", "Twrite");

        Throwable dup = failure(b.stage());
        assertThat(dup).as("failure").isInstanceOf(RegistryErrorException.class).hasMessageContaining("register svc");
        assertThat(((RegistryErrorException) dup).isDuplicateName()).as("duplicate service name").isTrue();
        awaiting().untilAsserted(() -> assertThat(proxy.sent()).as("the fid clunked")
                .anyMatch(m -> m instanceof StyxMessage.Tclunk c && c.fid() == b.get(0, Twalk.class).newfid()));
        awaiting().untilAsserted(() -> assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids: the root, the event file, the first registration").isEqualTo(baseFids + 1));
        assertThat(registry.services()).as("services").containsExactly(ServiceEntry.of("svc"));
        assertThat(registry.version()).as("registry version: no change").isEqualTo(version);
    }

    private static int fidOf(StyxMessage m) {
        if (m instanceof Twalk w) {
            return w.newfid();
        }
        if (m instanceof Topen o) {
            return o.fid();
        }
        if (m instanceof Twrite w) {
            return w.fid();
        }
        return m instanceof Tread r ? r.fid() : -1;
    }
}
