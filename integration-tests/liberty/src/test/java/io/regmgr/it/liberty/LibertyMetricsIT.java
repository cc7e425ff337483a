package io.regmgr.it.liberty;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RegMgr's metrics reach OpenLiberty's own OpenTelemetry with configuration only: feature
 * {@code mpTelemetry-2.0} and third-party API visibility in {@code server.xml}, and the
 * {@code otel.*} bootstrap properties (SDK on, metrics exported by the console exporter every
 * second). The exporter writes each collection to the server's {@code messages.log}; this test
 * reads the {@code regmgr.*} points there: the manager connected, and the monitor under its
 * {@code @RegistryMonitor} name.
 */
class LibertyMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path LOG = Path.of(System.getProperty("liberty.server.logs"), "messages.log");

    /** @return a pattern for a point of {@code metric} whose attributes include {@code attribute} and whose value is {@code value} */
    private static Pattern point(String metric, String attribute, long value) {
        return Pattern.compile("name=" + Pattern.quote(metric) + ",.*attributes=\\{[^}]*" + Pattern.quote(attribute)
                + "[^}]*}, value=" + value + "\\b");
    }

    private static List<String> exported() {
        try {
            return Files.readAllLines(LOG).stream().filter(l -> l.contains("name=regmgr.")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void regmgrMetricsReachLibertysOpenTelemetry() {
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> lines = exported();
            assertThat(lines).as("regmgr.* metrics in %s", LOG).isNotEmpty();
            assertThat(lines).as("connected, from the runtime's exporter")
                    .anyMatch(l -> point("regmgr.connection.state", "regmgr.state=\"connected\"", 1).matcher(l).find());
            assertThat(lines).as("the monitor by its declared name")
                    .anyMatch(l -> l.contains("name=regmgr.monitor.services,") && l.contains("regmgr.monitor=\"" + Peers.MONITOR + "\""));
            assertThat(lines).as("the meter scope").allMatch(l -> l.contains("InstrumentationScopeInfo{name=io.regmgr,"));
        });
    }
}
