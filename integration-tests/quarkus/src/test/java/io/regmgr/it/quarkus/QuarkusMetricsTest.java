package io.regmgr.it.quarkus;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RegMgr's metrics reach Quarkus' own OpenTelemetry with configuration only
 * ({@code quarkus-opentelemetry}, {@code quarkus.otel.metrics.enabled=true}): the exporter Quarkus
 * drives receives {@code regmgr.*} metrics with the app's connection, registration and monitor (by
 * its {@code @RegistryMonitor} name).
 */
@QuarkusTest
@QuarkusTestResource(RegistryResource.class)
class QuarkusMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    InMemoryMetrics metrics;

    private long latest(String name, String key, String value) {
        List<MetricData> exported = metrics.exported().getFinishedMetricItems();
        return exported.stream().filter(m -> m.getName().equals(name)).reduce((a, b) -> b)
                .map(m -> m.getLongGaugeData().getPoints().stream()
                        .filter(p -> value.equals(p.getAttributes().get(AttributeKey.stringKey(key))))
                        .mapToLong(LongPointData::getValue).sum())
                .orElse(-1L);
    }

    /** @return the {@code regmgr.monitor} attribute of the latest export of gauge {@code name} */
    private List<String> monitorsNamed(String name) {
        return metrics.exported().getFinishedMetricItems().stream().filter(m -> m.getName().equals(name))
                .reduce((a, b) -> b).stream().flatMap(m -> m.getLongGaugeData().getPoints().stream())
                .map(p -> p.getAttributes().get(AttributeKey.stringKey("regmgr.monitor"))).distinct().toList();
    }

    @Test
    void regmgrMetricsReachQuarkusExporter() {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(latest("regmgr.connection.state", "regmgr.state", "connected")).as("connection state").isEqualTo(1);
            assertThat(latest("regmgr.registrations", "regmgr.state", "registered")).as("registered").isEqualTo(1);
            assertThat(monitorsNamed("regmgr.monitor.services")).as("monitors by their declared name, not their filter")
                    .containsExactly(Peers.MONITOR);
        });
        assertThat(metrics.exported().getFinishedMetricItems()).as("scope of regmgr's instruments")
                .filteredOn(m -> m.getName().startsWith("regmgr."))
                .allSatisfy(m -> assertThat(m.getInstrumentationScopeInfo().getName()).isEqualTo("io.regmgr"));
    }
}
