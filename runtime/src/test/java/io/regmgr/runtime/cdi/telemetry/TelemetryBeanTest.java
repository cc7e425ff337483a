package io.regmgr.runtime.cdi.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.regmgr.RegistryManager;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CDI layer records the manager's metrics with the application's {@link OpenTelemetry} bean,
 * as MicroProfile Telemetry provides one, with no RegMgr configuration beyond the registry's
 * address; without such a bean the application starts as before.
 */
class TelemetryBeanTest {
    static final InMemoryMetricReader READER = InMemoryMetricReader.create();

    final EmbeddedRegistry registry = CdiTesting.startRegistry();

    @ApplicationScoped
    @RegistryService(name = "tcp!me!1", attributes = "kind=me")
    @RegistryMonitor(name = "peers", filter = "kind=me")
    static class App {
    }

    /** What MicroProfile Telemetry does: an {@link OpenTelemetry} bean (here an SDK with an in-memory reader). */
    @ApplicationScoped
    static class Telemetry {
        final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(READER).build();

        @Produces
        @ApplicationScoped
        OpenTelemetry openTelemetry() {
            return OpenTelemetrySdk.builder().setMeterProvider(provider).build();
        }
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private static long value(String name, String state) {
        return READER.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .map(MetricData::getLongGaugeData).flatMap(d -> d.getPoints().stream())
                .filter(p -> state.equals(p.getAttributes().get(AttributeKey.stringKey("regmgr.state"))))
                .mapToLong(LongPointData::getValue).sum();
    }

    /** @return the {@code regmgr.monitor} attributes of {@code regmgr.monitor.services} now */
    private static List<String> monitors() {
        return READER.collectAllMetrics().stream().filter(m -> m.getName().equals("regmgr.monitor.services"))
                .flatMap(m -> m.getLongGaugeData().getPoints().stream())
                .map(p -> p.getAttributes().get(AttributeKey.stringKey("regmgr.monitor"))).distinct().toList();
    }

    @Test
    void metricsGoToTheApplicationsOpenTelemetryBean() {
        try (WeldContainer c = CdiTesting.weld(CdiTesting.config(registry), App.class, Telemetry.class).initialize()) {
            c.select(RegistryManager.class).get();
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
                assertThat(value("regmgr.connection.state", "connected")).as("connected").isEqualTo(1);
                assertThat(value("regmgr.registrations", "registered")).as("registered").isEqualTo(1);
                assertThat(monitors()).as("a CDI monitor is named by its @RegistryMonitor name").containsExactly("peers");
            });
        }
        assertThat(value("regmgr.registrations", "registered")).as("gauges removed when the application stops").isZero();
    }

    @Test
    void withoutAnOpenTelemetryBeanTheApplicationStartsAndRecordsNothing() {
        try (WeldContainer c = CdiTesting.weld(CdiTesting.config(registry), App.class).initialize()) {
            RegistryManager m = c.select(RegistryManager.class).get();
            await().atMost(CdiTesting.WAIT).until(() -> m.status().isConnected());
            assertThat(value("regmgr.connection.state", "connected")).as("nothing recorded").isZero();
        }
    }
}
