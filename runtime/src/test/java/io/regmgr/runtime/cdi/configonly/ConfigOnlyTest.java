package io.regmgr.runtime.cdi.configonly;

import io.regmgr.Monitor;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryService;
import io.regmgr.cdi.ServiceChange;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.Recorder;
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
 * Declaration by configuration alone: services ({@code regmgr.services.<id>.*}) and monitors
 * ({@code regmgr.monitors.<id>.filter}) with no annotation, their handles and events as if
 * annotated; and configuration adding to an annotated service.
 */
@EnableWeld
class ConfigOnlyTest {
    @RegisterExtension
    static final SharedRegistry SHARED = new SharedRegistry();

    /** An annotated service that configuration renames and adds an attribute to. */
    @ApplicationScoped
    @RegistryService(id = "api", name = "tcp!api!1", attributes = {"proto=http", "tier=dev"})
    static class Api {
    }

    @WeldSetup
    WeldInitiator weld = CdiTesting.initiator(SHARED.config(
            "regmgr.services.web.name", "tcp!web.example!80",
            "regmgr.services.web.attributes.proto", "http",
            "regmgr.services.web.attributes.kind", "frontend",
            "regmgr.services.api.name", "tcp!api.example!443",
            "regmgr.services.api.attributes.tier", "prod",
            "regmgr.monitors.http.filter", "proto=http",
            "regmgr.monitors.all.filter", "*"), Api.class, Recorder.class);

    @Inject
    @Registered("web")
    ServiceRegistration web;
    @Inject
    @Monitored("http")
    Monitor http;
    @Inject
    Recorder recorder;

    @Test
    void configuredServiceIsRegisteredAndInjectable() {
        assertThat(web.entry().name()).as("configured name").isEqualTo("tcp!web.example!80");
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(SHARED.registry().services())
                .as("what the registry lists").filteredOn(s -> s.name().equals("tcp!web.example!80")).singleElement()
                .satisfies(s -> assertThat(s.attributes().asMap()).containsEntry("proto", "http").containsEntry("kind", "frontend")));
    }

    @Test
    void configuredMonitorsFireEventsAndShowTheirView() {
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
            assertThat(http.view()).as("the 'http' monitor's view").containsOnlyKeys("tcp!web.example!80", "tcp!api.example!443");
            assertThat(recorder.of("http")).as("events of 'http'").extracting(ServiceChange::name)
                    .containsExactlyInAnyOrder("tcp!web.example!80", "tcp!api.example!443");
            assertThat(recorder.of("all")).as("events of 'all' (filter *)").extracting(ServiceChange::name)
                    .contains("tcp!web.example!80", "tcp!api.example!443");
        });
    }

    @Test
    void configurationRenamesAnAnnotatedServiceAndReplacesItsAttributes() {
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(SHARED.registry().services())
                .as("what the registry lists").extracting(ServiceEntry::name).contains("tcp!api.example!443")
                .doesNotContain("tcp!api!1"));
        assertThat(SHARED.registry().services()).filteredOn(s -> s.name().equals("tcp!api.example!443")).singleElement()
                .satisfies(s -> assertThat(s.attributes().asMap()).as("annotation attributes with configuration's")
                        .containsEntry("proto", "http").containsEntry("tier", "prod"));
    }
}
