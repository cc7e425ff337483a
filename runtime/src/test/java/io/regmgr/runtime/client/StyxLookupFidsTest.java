package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Filter;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One-shot lookups through a manager over 9P, through a {@link ReorderingProxy} (every new find
 * fid's first read served before its filter write) in front of the embedded registry: more
 * distinct lookups than {@link KeptReads#MAX_KEPT} leave the registry holding a bounded number of
 * fids, and a lookup after them is still answered right. Run against every client-suite profile.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
class StyxLookupFidsTest {
    @Parameter
    RegistryProfile profile;
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();

    @Test
    void distinctLookupsBeyondTheKeptFidsHoldABoundedNumberOfFidsAndStayRight() {
        EmbeddedRegistry registry = NET.registry(b -> b.profile(profile).staticService(ServiceEntry.of("a", "kind", "a"))
                .staticService(ServiceEntry.of("b", "kind", "b")));
        ReorderingProxy proxy = NET.closeAfter(ReorderingProxy.start(registry.styxPort()));
        RegistryManager manager = NET.closeAfter(RegistryManagers.styx(
                ConnectorOptions.builder("tcp!127.0.0.1!" + proxy.port()).build(), ManagerOptions.defaults()));

        for (int i = 0; i < KeptReads.MAX_KEPT + 76; i++) {
            assertThat(join(manager.lookup(Filter.of("req", "id" + i)))).as("lookup req id" + i).isEmpty();
        }
        assertThat(join(manager.lookup(Filter.of("kind", "a")))).as("a lookup after them")
                .containsExactly(ServiceEntry.of("a", "kind", "a"));

        // the root, the event file and the kept find fids
        awaiting().untilAsserted(() -> assertThat(proxy.fidsBound()).as("fids the registry holds")
                .isEqualTo(2 + KeptReads.MAX_KEPT));
        assertThat(proxy.reordered()).as("filter writes served behind their fid's first read")
                .isEqualTo(KeptReads.MAX_KEPT + 77);
    }
}
