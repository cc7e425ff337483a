package io.regmgr.runtime.core;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.regmgr.runtime.otel.OpenTelemetryMetrics;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real OpenTelemetry SDK with the SDK's in-memory reader, and sums over what it collects: the
 * value of a counter or gauge, or a histogram's count, over the points whose attributes include
 * the given ones (cumulative temporality, so counters read as totals since the start).
 */
final class MetricsReader implements AutoCloseable {
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    final OpenTelemetryMetrics metrics = OpenTelemetryMetrics.of(OpenTelemetrySdk.builder().setMeterProvider(provider).build());

    /** @return the metric data collected now */
    Collection<MetricData> collect() {
        return reader.collectAllMetrics();
    }

    /**
     * @param name a counter or long gauge
     * @param attributes attribute, value, ...: each must be on a point for it to count
     * @return the sum of the matching points' values
     */
    long value(String name, String... attributes) {
        return points(name).filter(p -> p instanceof LongPointData && has(p.getAttributes(), attributes))
                .mapToLong(p -> ((LongPointData) p).getValue()).sum();
    }

    /** @return the number of values recorded in the matching points of histogram {@code name} */
    long count(String name, String... attributes) {
        return points(name).filter(p -> p instanceof HistogramPointData && has(p.getAttributes(), attributes))
                .mapToLong(p -> ((HistogramPointData) p).getCount()).sum();
    }

    /** @return the smallest value recorded in the matching points of histogram {@code name}, or -1 */
    double min(String name, String... attributes) {
        return points(name).filter(p -> p instanceof HistogramPointData && has(p.getAttributes(), attributes))
                .mapToDouble(p -> ((HistogramPointData) p).getMin()).min().orElse(-1);
    }

    /** @return the distinct values of attribute {@code key} on the points of {@code name} collected now */
    java.util.Set<String> attributeValues(String name, String key) {
        return points(name).map(p -> p.getAttributes().get(AttributeKey.stringKey(key)))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** @return every metric collected now with its unit, by name */
    Map<String, String> units() {
        return collect().stream().collect(java.util.stream.Collectors.toMap(MetricData::getName, MetricData::getUnit, (a, b) -> a));
    }

    private Stream<? extends io.opentelemetry.sdk.metrics.data.PointData> points(String name) {
        return collect().stream().filter(m -> m.getName().equals(name)).flatMap(m -> m.getData().getPoints().stream());
    }

    private static boolean has(Attributes actual, String[] wanted) {
        for (int i = 0; i < wanted.length; i += 2) {
            if (!wanted[i + 1].equals(actual.get(AttributeKey.stringKey(wanted[i])))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        provider.close();
    }
}
