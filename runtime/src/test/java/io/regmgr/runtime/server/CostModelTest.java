package io.regmgr.runtime.server;

import io.regmgr.Attributes;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The simulated cost model: what it charges is counted exactly (requests and lines formatted), and
 * requests of different connections are served one at a time (a lower bound on the elapsed time,
 * which a loaded machine can only lengthen).
 */
class CostModelTest {
    private static final CostModel SMALL = new CostModel(Duration.ofNanos(100_000), Duration.ofNanos(10_000), Duration.ofNanos(50_000),
            Duration.ofNanos(50_000));

    private static EmbeddedRegistry registry(CostModel model, int selected, int others) {
        EmbeddedRegistry.Builder b = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").costModel(model);
        for (int i = 0; i < selected + others; i++) {
            b.staticService(new ServiceEntry("svc" + i, Attributes.of("kind", i < selected ? "wanted" : "other")));
        }
        return b.build();
    }

    @Test
    void chargesEachRequestAndEachLineFormattedByAReadAtOffsetZero() {
        try (EmbeddedRegistry registry = registry(SMALL, 5, 15).start();
             StyxTestClient c = StyxTestClient.connect(registry.styxPort())) {
            RegistryCounters n = registry.counters();
            c.version(8216);
            c.attach(0, "alice");
            c.walk(0, 1, "find");
            c.open(1, StyxMessage.ORDWR);
            c.write(1, "kind wanted");
            long linesBefore = n.linesFormatted();
            assertThat(c.readAll(1)).as("find").contains("svc4").doesNotContain("svc5");
            assertThat(n.linesFormatted() - linesBefore).as("lines formatted by a find: the matching ones").isEqualTo(5);
            c.walk(0, 2, "index");
            c.open(2, StyxMessage.OREAD);
            c.readAll(2);
            assertThat(n.linesFormatted() - linesBefore).as("then an index read: every service").isEqualTo(25);
            assertThat(n.simulatedRequests()).as("every 9P request charged").isEqualTo(n.totalRequests());
            assertThat(n.simulatedNanos()).as("requests x 100 us + lines x 10 us")
                    .isEqualTo(n.totalRequests() * 100_000 + n.linesFormatted() * 10_000);
        }
    }

    @Test
    void aBridgeFindIsChargedAsTheBridgeScriptUsesTheRegistry() {
        try (EmbeddedRegistry registry = registry(SMALL, 3, 7).start()) {
            RegistryCounters n = registry.counters();
            long requestsBefore = n.simulatedRequests();
            long linesBefore = n.linesFormatted();
            try (BridgeTestClient find = BridgeTestClient.connect(registry.bridgeFindPort())) {
                // the script's <>[3]/mnt/registry/find opens find when the connection is accepted
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(n.simulatedRequests()
                        - requestsBefore).as("requests charged at the accept, before any filter")
                        .isEqualTo(CostModel.BRIDGE_FIND_OPEN_REQUESTS));
                assertThat(n.bridgeFindConnections()).as("find connections accepted").isEqualTo(1);
                assertThat(n.bridgeFindFilters()).as("filters received before one is sent").isZero();
                find.sendLine("kind wanted");
                assertThat(find.readToEnd().lines().count()).as("answer lines").isEqualTo(3);
            }
            assertThat(n.simulatedRequests() - requestsBefore).as("requests charged for one bridge find in all")
                    .isEqualTo(CostModel.BRIDGE_FIND_REQUESTS);
            assertThat(n.bridgeFindFilters()).as("filters received").isEqualTo(1);
            assertThat(n.bridgeFindsOpenedBeforeChange()).as("filters on a connection accepted before a change")
                    .isZero();
            assertThat(n.linesFormatted() - linesBefore).as("lines formatted: the matching ones").isEqualTo(3);
        }
    }

    @Test
    void aFilterOnAFindConnectionAcceptedBeforeAChangeIsCountedAsOpenedBeforeIt() {
        try (EmbeddedRegistry registry = registry(SMALL, 1, 0).start();
             BridgeTestClient early = BridgeTestClient.connect(registry.bridgeFindPort())) {
            RegistryCounters n = registry.counters();
            await().atMost(Duration.ofSeconds(10)).until(() -> n.bridgeFindConnections() == 1);
            try (BridgeTestClient reg = BridgeTestClient.connect(registry.bridgeNewPort())) {
                reg.sendLine("late kind wanted");
                await().atMost(Duration.ofSeconds(10)).until(() -> registry.services().size() == 2);
                early.sendLine("kind wanted");
                assertThat(early.readToEnd()).as("the answer read after the change").contains("late");
                try (BridgeTestClient fresh = BridgeTestClient.connect(registry.bridgeFindPort())) {
                    fresh.sendLine("kind wanted");
                    assertThat(fresh.readToEnd()).as("the answer on a connection accepted after it").contains("late");
                }
            }
            assertThat(n.bridgeFindFilters()).as("filters received").isEqualTo(2);
            assertThat(n.bridgeFindsOpenedBeforeChange()).as("of which on a connection accepted before the change")
                    .isEqualTo(1);
        }
    }

    @Test
    void servesTheRequestsOfAllConnectionsOneAtATime() {
        CostModel slow = new CostModel(Duration.ofMillis(25), Duration.ZERO, Duration.ZERO, Duration.ZERO);
        int perClient = 4;
        try (EmbeddedRegistry registry = registry(slow, 0, 0).start()) {
            List<StyxTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    StyxTestClient c = StyxTestClient.connect(registry.styxPort());
                    clients.add(c);
                    c.version(8216);
                    c.attach(0, "user" + i);
                }
                long start = System.nanoTime();
                for (StyxTestClient c : clients) {
                    for (int k = 0; k < perClient; k++) {
                        c.send(new Tstat(c.nextTag(), 0));
                    }
                }
                for (StyxTestClient c : clients) {
                    for (int k = 0; k < perClient; k++) {
                        assertThat(c.receive()).as("reply").isInstanceOf(Rstat.class);
                    }
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                // served concurrently per connection it would take 4 x 25 ms; one at a time, 8 x 25 ms
                assertThat(elapsed).as("8 requests of 25 ms from 2 connections, one at a time")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(2 * perClient * 25));
            } finally {
                clients.forEach(StyxTestClient::close);
            }
        }
    }

    @Test
    void withoutACostModelNothingIsCharged() {
        try (EmbeddedRegistry registry = registry(CostModel.NONE, 2, 2).start();
             StyxTestClient c = StyxTestClient.connect(registry.styxPort())) {
            c.version(8216);
            c.attach(0, "alice");
            assertThat(registry.counters().simulatedNanos()).as("simulated time").isZero();
            assertThat(registry.costModel().simulates()).as("simulates").isFalse();
        }
    }

    @Test
    void theLauncherOptionNamesTheModelsItAccepts() {
        assertThat(CostModel.parse("Inferno")).as("inferno").isEqualTo(CostModel.INFERNO);
        assertThat(CostModel.parse("off")).as("off").isEqualTo(CostModel.NONE);
        assertThatThrownBy(() -> CostModel.parse("fast")).as("unknown")
                .hasMessage("cost model 'fast' is not one of off, inferno");
        assertThatThrownBy(() -> new CostModel(Duration.ofMillis(-1), Duration.ZERO, Duration.ZERO, Duration.ZERO)).as("negative")
                .hasMessageContaining("must not be negative");
    }
}
