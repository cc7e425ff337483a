package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ReadAnswer;
import io.regmgr.runtime.protocol.RegistryLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code regmgr.registry.read.bytes}, read back through the SDK's in-memory reader from a real
 * manager against the embedded registry: with the registry's content fixed, every read of a kind
 * returns the same text, so the bytes counted are exactly the reads counted times that text's
 * length (the registry's lines as it formats them, quoting included), over 9P and the line bridge.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadBytesMetricsTest {
    private static final Filter APPS = Filter.of("kind", "app");

    private final Network net = new Network();
    private final MetricsReader otel = new MetricsReader();

    @AfterEach
    void tearDown() {
        net.close();
        otel.close();
    }

    /** @return the UTF-8 length of the registry's lines that {@code filter} matches */
    private long bytesOfLines(Filter filter) {
        long bytes = 0;
        for (String line : net.registry.indexText().split("\n")) {
            ServiceEntry e = RegistryLines.parseRecord(line).orElseThrow();
            if (filter.matches(e.attributes())) {
                bytes += (line + "\n").getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bytesReadAreTheAnswersLinesExactly(Transport transport) throws Exception {
        Network.OtherClient o = net.otherClient();
        o.register(ServiceEntry.of("tcp!a!1", "kind", "app", "note", "two words"));
        o.register(ServiceEntry.of("tcp!b!2", "kind", "app", "owner", "it's ours"));
        o.register(ServiceEntry.of("tcp!c!3", "kind", "db", "zone", "ünïcode"));
        long indexBytes = bytesOfLines(Filter.all());
        long appBytes = bytesOfLines(APPS);
        assertThat(appBytes).as("the matching lines are a part of the index").isPositive().isLessThan(indexBytes);

        RegistryManager m = net.manager(transport, false, b -> b, ManagerOptions.builder().metrics(otel.metrics));
        Monitor apps = m.monitor(APPS, new RecordingListener());   // one filter alone: a find
        await().atMost(Network.WAIT).until(() -> apps.isSynced() && apps.view().size() == 2);
        assertThat(m.lookup(Filter.all()).toCompletableFuture().get(Network.WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("every service: an index read").hasSize(3);

        await().atMost(Network.WAIT).untilAsserted(() -> {
            long finds = otel.value("regmgr.registry.reads", "regmgr.kind", "find");
            long indexes = otel.value("regmgr.registry.reads", "regmgr.kind", "index");
            assertThat(finds).as("find reads").isPositive();
            assertThat(indexes).as("index reads").isPositive();
            assertThat(otel.value("regmgr.registry.read.bytes", "regmgr.kind", "find")).as("bytes of %d finds", finds)
                    .isEqualTo(finds * appBytes);
            assertThat(otel.value("regmgr.registry.read.bytes", "regmgr.kind", "index")).as("bytes of %d index reads", indexes)
                    .isEqualTo(indexes * indexBytes);
        });
        assertThat(otel.units()).as("unit").containsEntry("regmgr.registry.read.bytes", "By");
        assertThat(otel.attributeValues("regmgr.registry.read.bytes", "regmgr.transport")).as("transport")
                .containsExactly(transport == Transport.STYX ? "9p" : "bridge");
    }

    @Test
    void anAnswerOfSeveralReadsIsCountedWhole() throws Exception {
        Network.OtherClient o = net.otherClient();
        String padding = "x".repeat(200);
        for (int i = 0; i < 100; i++) {
            o.register(ServiceEntry.of("tcp!host" + i + "!1", "kind", "app", "pad", padding));
        }
        long indexBytes = bytesOfLines(Filter.all());
        assertThat(indexBytes).as("more than two reads of 8 KiB").isGreaterThan(2 * 8192);

        RegistryManager m = net.manager(Transport.STYX, false, b -> b, ManagerOptions.builder().metrics(otel.metrics));
        assertThat(m.lookup(Filter.all()).toCompletableFuture().get(Network.WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("every service").hasSize(100);

        await().atMost(Network.WAIT).untilAsserted(() -> {
            long indexes = otel.value("regmgr.registry.reads", "regmgr.kind", "index");
            assertThat(indexes).as("index reads").isPositive();
            assertThat(otel.value("regmgr.registry.read.bytes", "regmgr.kind", "index")).as("bytes of %d index reads", indexes)
                    .isEqualTo(indexes * indexBytes);
        });
    }

    @Test
    void anAnswerIsAListThatKnowsItsSize() {
        ServiceEntry e = ServiceEntry.of("s", "k", "v");
        ReadAnswer answer = ReadAnswer.of(List.of(e), 6);
        assertThat(answer).as("a list of its services").isEqualTo(List.of(e));
        assertThat(ReadAnswer.bytesOf(answer)).as("its size").isEqualTo(6);
        assertThat(ReadAnswer.bytesOf(List.of(e))).as("another list: unknown").isEqualTo(-1);
        assertThatThrownBy(() -> answer.add(e)).as("unmodifiable").isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ReadAnswer.of(List.of(), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid answer size -1: a size in bytes is at least 0");
    }
}
