package io.regmgr.it.quarkus;

import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The test's metric exporter: quarkus-opentelemetry's default ({@code cdi}) exporter takes the
 * application's {@link MetricExporter} bean, here one that keeps what it is given in memory.
 */
@Singleton
public class InMemoryMetrics {
    private final InMemoryMetricExporter exporter = InMemoryMetricExporter.create();

    @Produces
    @Singleton
    MetricExporter exporter() {
        return exporter;
    }

    /** @return what was exported so far */
    InMemoryMetricExporter exported() {
        return exporter;
    }
}
