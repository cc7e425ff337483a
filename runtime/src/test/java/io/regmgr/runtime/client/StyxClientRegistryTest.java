package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.LimitExceededException;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage;
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

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The 9P client against the embedded registry over real TCP: every registry operation. */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
class StyxClientRegistryTest {
    @Parameter
    RegistryProfile profile;
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private final RecordingListener events = new RecordingListener();
    private EmbeddedRegistry registry;
    private StyxConnector alice;
    private StyxConnector bob;
    private RegistrySession session;

    @BeforeEach
    void connect() {
        registry = NET.registry(b -> b.profile(profile));
        alice = connector("alice");
        bob = connector("bob");
        session = join(alice.connect(events));
    }

    private StyxConnector connector(String user) {
        return NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).user(user)
                .requestTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void connectReportsTheRegistryVersionAndStartTime() {
        join(session.register(ServiceEntry.of("one"), RegistrationListener.NONE));
        RegistrySession second = join(bob.connect(new RecordingListener()));

        assertThat(session.isOpen()).as("open").isTrue();
        assertThat(session.canRemove()).as("9P can remove").isTrue();
        assertThat(session.initialVersion()).as("initial version of the first session").hasValue(0);
        assertThat(second.initialVersion()).as("initial version after one registration").hasValue(1);
        assertThat(session.registryStartTime()).as("start time").get()
                .matches(t -> Math.abs(Duration.between(t, Instant.now()).getSeconds()) < 60, "about now");
        assertThat(alice.describe()).as("describe").isEqualTo("9P2000 tcp!127.0.0.1!" + registry.styxPort());
    }

    @Test
    void registerMakesTheServiceVisibleInTheRegistry() {
        ServiceEntry entry = ServiceEntry.of("tcp!host!80", "proto", "http", "label", "two words");

        Registration r = join(session.register(entry, RegistrationListener.NONE));

        assertThat(r.isActive()).as("active").isTrue();
        assertThat(r.entry()).as("entry").isEqualTo(entry);
        assertThat(registry.services()).as("registry services").containsExactly(entry);
    }

    @Test
    void updateMergesTheAttributesOnlyOnceApplied() {
        Registration r = join(session.register(ServiceEntry.of("svc", "a", "1", "b", "2"), RegistrationListener.NONE));

        join(r.update(Attributes.of("b", "3", "c", "4")));

        ServiceEntry merged = ServiceEntry.of("svc", "a", "1", "b", "3", "c", "4");
        assertThat(r.entry()).as("merged entry").isEqualTo(merged);
        assertThat(registry.services()).as("registry services").containsExactly(merged);
        assertThat(failure(r.update(Attributes.empty()))).as("empty update")
                .isInstanceOf(io.regmgr.InvalidEntryException.class).hasMessageContaining("bad syntax");
    }

    @Test
    void unregisterRemovesTheServiceAndIsIdempotent() {
        Registration r = join(session.register(ServiceEntry.of("svc"), RegistrationListener.NONE));

        join(r.unregister());
        join(r.unregister());

        assertThat(r.isActive()).as("active").isFalse();
        assertThat(registry.services()).as("registry services").isEmpty();
        assertThat(failure(r.update(Attributes.of("a", "b")))).as("update after unregister")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unregistered");
    }

    @Test
    void findFiltersByValueAndByWildcard() {
        join(session.register(ServiceEntry.of("web", "proto", "http", "port", "80"), RegistrationListener.NONE));
        join(session.register(ServiceEntry.of("mail", "proto", "smtp"), RegistrationListener.NONE));
        join(session.register(ServiceEntry.of("bare"), RegistrationListener.NONE));

        assertThat(join(session.find(Filter.of("proto", "http")))).as("proto http")
                .containsExactly(ServiceEntry.of("web", "proto", "http", "port", "80"));
        assertThat(join(session.find(Filter.of("proto", "*")))).as("proto *").extracting(ServiceEntry::name)
                .containsExactlyInAnyOrder("web", "mail");
        assertThat(join(session.find(Filter.all()))).as("all").extracting(ServiceEntry::name)
                .containsExactlyInAnyOrder("web", "mail", "bare");
        assertThat(join(session.find(Filter.of("proto", "gopher")))).as("no match").isEmpty();
    }

    @Test
    void anAnswerAboveMaxAnswerBytesIsRefusedAndItsFidClunked() {
        StyxConnector small = NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                .maxAnswerBytes(1024));
        RegistrySession limited = join(small.connect(new RecordingListener()));
        for (int i = 0; i < 20; i++) {
            join(session.register(ServiceEntry.of("svc" + i, "pad", "p".repeat(60)), RegistrationListener.NONE));
        }

        Throwable refused = failure(limited.index());

        assertThat(refused).as("index").isInstanceOf(LimitExceededException.class).hasMessageContaining("index on");
        assertThat(((LimitExceededException) refused).limit()).as("limit").isEqualTo("answer size");
        assertThat(((LimitExceededException) refused).maximum()).as("maximum").isEqualTo(1024);
        awaiting().untilAsserted(() -> assertThat(client(limited).fidsAllocated()).as("fids").isEqualTo(2));
        assertThat(limited.isOpen()).as("still open").isTrue();
    }

    @Test
    void indexListsEveryService() {
        join(session.register(ServiceEntry.of("a", "k", "it's"), RegistrationListener.NONE));
        join(session.register(ServiceEntry.of("b", "k", "line\nbreak"), RegistrationListener.NONE));

        List<ServiceEntry> index = join(session.index());

        assertThat(index).as("index").containsExactlyInAnyOrder(ServiceEntry.of("a", "k", "it's"),
                ServiceEntry.of("b", "k", "line\nbreak"));
    }

    @Test
    void removeByNameWorksForTheOwnerOnlyUnlessExported() {
        join(session.register(ServiceEntry.of("mine"), RegistrationListener.NONE));
        RegistrySession bobs = join(bob.connect(new RecordingListener()));
        join(bobs.register(ServiceEntry.of("his"), RegistrationListener.NONE));

        join(session.remove("mine"));
        if (profile == RegistryProfile.EXPORTED) {
            // behind export every client is the exporter: anybody may remove anything
            join(session.remove("his"));
            assertThat(registry.services()).as("left behind export").isEmpty();
            return;
        }
        Throwable denied = failure(session.remove("his"));

        assertThat(denied).as("removing bob's service").isInstanceOf(RegistryErrorException.class)
                .hasMessageContaining("remove his");
        assertThat(((RegistryErrorException) denied).registryError()).as("error").isEqualTo("permission denied");
        assertThat(registry.services()).as("left").extracting(ServiceEntry::name).containsExactly("his");
    }

    @Test
    void removeOfAMissingServiceSurfacesFileDoesNotExist() {
        Throwable missing = failure(session.remove("nosuch"));

        assertThat(missing).as("missing").isInstanceOf(RegistryErrorException.class);
        assertThat(((RegistryErrorException) missing).registryError()).as("error").isEqualTo("file does not exist");
    }

    @Test
    void duplicateNameSurfacesTheRegistrysExactWords() {
        join(session.register(ServiceEntry.of("svc"), RegistrationListener.NONE));

        Throwable dup = failure(session.register(ServiceEntry.of("svc", "a", "b"), RegistrationListener.NONE));

        assertThat(dup).as("duplicate").isInstanceOf(RegistryErrorException.class);
        assertThat(((RegistryErrorException) dup).isDuplicateName()).as("isDuplicateName").isTrue();
        assertThat(registry.services()).as("services").containsExactly(ServiceEntry.of("svc"));
        awaiting().untilAsserted(() -> assertThat(client(session).fidsAllocated())
                .as("fid of the failed registration reclaimed: the root, the event file, svc, the spare on new")
                .isEqualTo(4));
    }

    @Test
    void anOversizedRegistrationIsRefusedBeforeAnythingIsSent() {
        long walks = registry.counters().requests(StyxMessage.TWALK);
        long writes = registry.counters().requests(StyxMessage.TWRITE);
        ServiceEntry huge = ServiceEntry.of("big", "blob", "x".repeat(70_000));

        Throwable refused = failure(session.register(huge, RegistrationListener.NONE));

        assertThat(refused).as("refusal").isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("register big");
        assertThat(registry.counters().requests(StyxMessage.TWRITE)).as("Twrites").isEqualTo(writes);
        assertThat(registry.counters().requests(StyxMessage.TWALK)).as("Twalks").isEqualTo(walks);
    }

    @Test
    void aRegistrationAboveTheIounitIsRefusedBeforeItIsWritten() {
        long writes = registry.counters().requests(StyxMessage.TWRITE);
        // fits in msize - IOHDRSZ with a larger msize, but not in the registry's iounit (8192)
        ServiceEntry big = ServiceEntry.of("big", "blob", "x".repeat(9_000));

        Throwable refused = failure(session.register(big, RegistrationListener.NONE));

        assertThat(refused).as("refusal").isInstanceOf(LimitExceededException.class);
        assertThat(((LimitExceededException) refused).maximum()).as("limit").isEqualTo(8192);
        assertThat(registry.counters().requests(StyxMessage.TWRITE)).as("Twrites").isEqualTo(writes);
        assertThat(registry.services()).as("services").isEmpty();
    }

    @Test
    void aServiceRemovedBehindOurBackDropsTheRegistrationOnTheNextUpdate() {
        Registration r = join(session.register(ServiceEntry.of("svc"), events.registration()));
        join(session.remove("svc"));

        Throwable gone = failure(r.update(Attributes.of("a", "b")));

        assertThat(gone).as("update").isInstanceOf(RegistryErrorException.class);
        assertThat(((RegistryErrorException) gone).registryError()).as("error").isEqualTo("buggy program!");
        assertThat(r.isActive()).as("active").isFalse();
        assertThat(events.drops).as("dropped").singleElement().isSameAs(gone);
    }

    @Test
    void aChangeByAnotherClientReachesTheListenerWithTheRightVersion() {
        RegistrySession other = join(bob.connect(new RecordingListener()));

        join(other.register(ServiceEntry.of("svc"), RegistrationListener.NONE));

        awaiting().untilAsserted(() -> assertThat(events.versions).as("versions")
                .containsExactly((long) registry.version()));
        assertThat(events.lastVersion()).as("version").isEqualTo(1);
    }

    @Test
    void rapidChangesAreCoalescedNeverLost() {
        RegistrySession other = join(bob.connect(new RecordingListener()));
        Registration r = join(other.register(ServiceEntry.of("svc"), RegistrationListener.NONE));
        for (int i = 0; i < 50; i++) {
            r.update(Attributes.of("n", Integer.toString(i)));
        }
        join(r.update(Attributes.of("n", "last")));

        awaiting().until(() -> events.lastVersion() == registry.version());
        assertThat(registry.version()).as("registry version").isEqualTo(52);
        assertThat(events.versions).as("versions").isSorted().doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(52);
        assertThat(events.closes).as("closes").isEmpty();
    }

    static StyxClient client(RegistrySession session) {
        return ((StyxRegistrySession) session).client();
    }
}
