package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Filter;
import io.regmgr.LimitExceededException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Finds whose new fid's first read is served before its filter write (as Inferno's {@code export}
 * may serve them), through a {@link ReorderingProxy} in front of the embedded registry over real
 * TCP: the answer is never wrong, an unfiltered first answer longer than {@code maxAnswerBytes}
 * is not the find's failure (only a filtered one is), and the fids held stay bounded beyond
 * {@link KeptReads#MAX_KEPT} distinct filters. Run against every client-suite profile.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
class StyxFindReorderTest {
    @Parameter
    RegistryProfile profile;
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();

    private ReorderingProxy proxy;

    private RegistrySession connect(EmbeddedRegistry registry, UnaryOperator<ConnectorOptions.Builder> settings) {
        proxy = NET.closeAfter(ReorderingProxy.start(registry.styxPort()));
        return join(NET.styx(settings.apply(ConnectorOptions.builder("tcp!127.0.0.1!" + proxy.port())
                .requestTimeout(Duration.ofSeconds(10)))).connect(new RecordingListener()));
    }

    /** @return a registry holding 300 services of kind bulk (about 60 bytes a line: 18 KB) and one special */
    private EmbeddedRegistry bulk() {
        return NET.registry(b -> {
            for (int i = 0; i < 300; i++) {
                b.staticService(ServiceEntry.of("svc" + i, "kind", "bulk", "pad", "x".repeat(40)));
            }
            return b.profile(profile).staticService(ServiceEntry.of("special", "kind", "special"));
        });
    }

    @Test
    void aSelectiveFindWhoseFirstReadIsUnfilteredAndLongerThanTheLimitAnswersTheFilteredServices() {
        RegistrySession session = connect(bulk(), b -> b.maxAnswerBytes(8192));

        List<ServiceEntry> found = join(session.find(Filter.of("kind", "special")));

        assertThat(proxy.reordered()).as("filter writes sent on behind their fid's read").isEqualTo(1);
        assertThat(found).as("find kind special (its first read: the whole 18 KB index)")
                .containsExactly(ServiceEntry.of("special", "kind", "special"));
        assertThat(join(session.find(Filter.of("kind", "special")))).as("the same find again, on its kept fid")
                .containsExactly(ServiceEntry.of("special", "kind", "special"));
    }

    /** The 18 KB unfiltered snapshot would take three reads of 8,192 bytes: it is not continued. */
    @Test
    void anUnfilteredFirstReadThatComesBackFullIsReadAgainFromTheStartNotContinued() {
        RegistrySession session = connect(bulk(), b -> b.msize(8216));

        assertThat(join(session.find(Filter.of("kind", "special")))).as("find kind special")
                .containsExactly(ServiceEntry.of("special", "kind", "special"));

        assertThat(proxy.readsOf("find")).as("reads of the find fid: the burst's, then one from offset 0")
                .isEqualTo(2);
    }

    @Test
    void aFilteredAnswerLongerThanTheLimitFailsNamingTheRule() {
        RegistrySession session = connect(bulk(), b -> b.maxAnswerBytes(8192));

        Throwable tooLong = failure(session.find(Filter.of("kind", "bulk")));

        assertThat(tooLong).as("failure").isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("answer size").hasMessageContaining("8192").hasMessageContaining("find [kind, bulk]");
        assertThat(((LimitExceededException) tooLong).limit()).as("limit").isEqualTo("answer size");
        assertThat(session.isOpen()).as("session still open").isTrue();
        assertThat(join(session.find(Filter.of("kind", "special")))).as("another find afterwards")
                .containsExactly(ServiceEntry.of("special", "kind", "special"));
    }

    @Test
    void everyFindAnswerIsTheFilteredIndexWhateverOrderTheRegistryServedItsBurstIn() {
        EmbeddedRegistry registry = NET.registry(b -> b.profile(profile)
                .staticService(ServiceEntry.of("a", "kind", "a", "proto", "tcp"))
                .staticService(ServiceEntry.of("b", "kind", "b", "proto", "tcp"))
                .staticService(ServiceEntry.of("c", "kind", "c", "proto", "udp", "empty", "")));
        RegistrySession session = connect(registry, UnaryOperator.identity());
        List<Filter> filters = List.of(Filter.of("kind", "a"), Filter.of("proto", "tcp"), Filter.of("proto", "*"),
                Filter.of("empty", "*"), Filter.of("empty", ""), Filter.of("kind", "a", "proto", "udp"),
                Filter.of("kind", "a", "kind", "b"), Filter.of("nosuch", "*"), Filter.all());

        for (Filter f : filters) {
            List<ServiceEntry> expected = registry.services().stream().filter(s -> f.matches(s.attributes())).toList();
            assertThat(join(session.find(f))).as("first find " + f.words()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(join(session.find(f))).as("find again " + f.words()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void beyondTheKeptFidsANewFilterIsAnsweredRightAndTheFidsHeldStayBounded() {
        EmbeddedRegistry registry = NET.registry(b -> b.profile(profile).staticService(ServiceEntry.of("a", "kind", "a"))
                .staticService(ServiceEntry.of("b", "kind", "b")));
        RegistrySession session = connect(registry, UnaryOperator.identity());
        for (int i = 0; i < KeptReads.MAX_KEPT + 50; i++) {
            assertThat(join(session.find(Filter.of("x" + i, "*")))).as("find x" + i + " *").isEmpty();
        }

        assertThat(join(session.find(Filter.of("kind", "a")))).as("a filter beyond the kept fids")
                .containsExactly(ServiceEntry.of("a", "kind", "a"));

        // the root, the event file and the kept fids
        int most = 2 + KeptReads.MAX_KEPT;
        awaiting().untilAsserted(() -> assertThat(StyxClientRegistryTest.client(session).fidsAllocated())
                .as("fids allocated by the client").isEqualTo(most));
        awaiting().untilAsserted(() -> assertThat(proxy.fidsBound()).as("fids the registry holds").isEqualTo(most));
        int bursts = proxy.reordered();
        assertThat(join(session.find(Filter.of("x" + (KeptReads.MAX_KEPT + 49), "*"))))
                .as("a filter read recently").isEmpty();
        assertThat(proxy.reordered()).as("filter writes: none, the recent filter's fid is still kept").isEqualTo(bursts);
    }
}
