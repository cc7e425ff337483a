package io.regmgr.runtime.cdi.expressions;

import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.SharedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Configuration expressions in annotation values: {@code ${key}} and {@code ${key:default}}, in
 * names, attribute names, values and filters, several in one value.
 */
@EnableWeld
class ConfigExpressionsTest {
    @RegisterExtension
    static final SharedRegistry SHARED = new SharedRegistry();

    @ApplicationScoped
    @RegistryService(id = "self", name = "tcp!${app.host}!${app.port}",
            attributes = {"proto=${app.proto:tcp}", "kind=${app.kind:orders}", "${app.zone-attr:zone}=${app.zone}",
                    "url=http://${app.host}:${app.port}/x=y"})
    static class Self {
    }

    @ApplicationScoped
    @RegistryMonitor(name = "same-kind", filter = {"kind=${app.kind:orders}", "zone=*"})
    static class SameKind {
        @Inject
        @Monitored
        Monitor monitor;

        Monitor monitor() {
            return monitor;
        }
    }

    @WeldSetup
    WeldInitiator weld = CdiTesting.initiator(SHARED.config(
            "app.host", "10.0.0.5", "app.port", "8080", "app.kind", "billing", "app.zone", "eu-1"),
            Self.class, SameKind.class);

    @Inject
    RegistryManager manager;
    @Inject
    SameKind sameKind;

    @Test
    void nameAndAttributesAreResolvedFromConfigAndDefaults() throws Exception {
        ServiceEntry found = manager.lookup(Filter.of("kind", "billing")).toCompletableFuture().get()
                .stream().findFirst().orElseThrow();
        assertThat(found.name()).as("name from two expressions").isEqualTo("tcp!10.0.0.5!8080");
        assertThat(found.attributes().asMap()).as("attributes")
                .containsEntry("proto", "tcp")
                .containsEntry("kind", "billing")
                .containsEntry("zone", "eu-1")
                .containsEntry("url", "http://10.0.0.5:8080/x=y");
    }

    @Test
    void filterIsResolvedToo() {
        assertThat(sameKind.monitor().filter()).as("the monitor's filter").isEqualTo(Filter.of("kind", "billing", "zone", "*"));
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(sameKind.monitor().view())
                .as("the monitor sees our own service").containsKey("tcp!10.0.0.5!8080"));
    }
}
