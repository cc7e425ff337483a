package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.server.CostModel;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.runtime.server.RegistryProfile;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Find connections opened in advance over the line bridge (real TCP, the embedded registry's bridge,
 * with and without the simulated cost model): a change's finds write their filter on connections the
 * bridge accepted (and opened {@code find} for) before the change, counted by the registry; the pool
 * is bounded; a pooled connection the bridge closes is never read as "no services"; closing leaves
 * no bridge connection open.
 */
@ParameterizedClass(name = "{0} {1}")
@MethodSource("registries")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeFindPoolTest {
    /** Services nobody watches: enough that a few selective filters are read as finds, not the index. */
    private static final int OTHERS = 2_000;
    private static final int MONITORS = 3;

    @Parameter(0)
    RegistryProfile profile;
    @Parameter(1)
    String model;

    private Network net;

    static Stream<Arguments> registries() {
        return Stream.of(Arguments.of(RegistryProfile.DEFAULT, "off"), Arguments.of(RegistryProfile.EXPORTED, "off"),
                Arguments.of(RegistryProfile.DEFAULT, "inferno"));
    }

    private Network net() {
        if (net == null) {
            net = new Network(profile, b -> {
                b.costModel(CostModel.parse(model));
                for (int i = 0; i < OTHERS; i++) {
                    b.staticService(ServiceEntry.of("other" + i, "kind", "other"));
                }
                // each monitor's filter matches one service from the start: no answer is empty
                for (int i = 0; i < 8; i++) {
                    // filters that share no attribute: a cover ("watch *") would read them all in one find
                b.staticService(ServiceEntry.of("watched" + i, "w" + i, "yes"));
                }
                return b;
            });
        }
        return net;
    }

    private RegistryManager pooled() {
        return net().manager(Transport.BRIDGE, false, o -> o.bridgeFindPool(ConnectorOptions.SUGGESTED_BRIDGE_FIND_POOL),
                ManagerOptions.builder());
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private static List<Monitor> monitors(RegistryManager m, int count, List<RecordingListener> listeners) {
        List<Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordingListener l = new RecordingListener();
            listeners.add(l);
            monitors.add(m.monitor(Filter.of("w" + i, "yes"), l));
        }
        await().atMost(Network.WAIT).until(() -> monitors.stream().allMatch(Monitor::isSynced));
        return monitors;
    }

    /** Registers a service matching monitor {@code i} from another client, waits for it and for quiet. */
    private void change(Network.OtherClient other, List<Monitor> monitors, int i, String name) {
        other.register(ServiceEntry.of(name, "w" + i, "yes"));
        await().atMost(Network.WAIT).until(() -> monitors.get(i).view().containsKey(name));
        RegistryCounters c = net.registry.counters();
        ReadCostTest.quiet(() -> c.totalRequests() + c.connections() + c.linesFormatted() + c.bridgeFindFilters());
    }

    /** @return find connections the bridge accepted that have not sent a filter (and are open: none is dropped here) */
    private long idleFindConnections() {
        RegistryCounters c = net.registry.counters();
        return c.bridgeFindConnections() - c.bridgeFindFilters();
    }

    /** What the registry counted for one change: filters received, of which on connections opened before it, accepts. */
    private record Counts(long filters, long openedBefore, long accepted) {
    }

    /** @return what the registry counted for a change matching monitor 2 */
    private Counts secondChange(Network.OtherClient other, List<Monitor> monitors) {
        RegistryCounters c = net.registry.counters();
        long filtersBefore = c.bridgeFindFilters();
        long earlyBefore = c.bridgeFindsOpenedBeforeChange();
        long acceptedBefore = c.bridgeFindConnections();
        change(other, monitors, 2, "second-change");
        return new Counts(c.bridgeFindFilters() - filtersBefore, c.bridgeFindsOpenedBeforeChange() - earlyBefore,
                c.bridgeFindConnections() - acceptedBefore);
    }

    @Test
    void aChangeWithSelectiveFiltersWritesThemOnConnectionsOpenedBeforeIt() {
        RegistryManager m = pooled();
        List<Monitor> monitors = monitors(m, MONITORS, new ArrayList<>());
        Network.OtherClient other = net.otherClient();
        // the first change learns the filters' sizes (the first sync read the index) and sizes the pool
        change(other, monitors, 1, "first-change");
        await().atMost(Network.WAIT).until(() -> idleFindConnections() == MONITORS);

        Counts n = secondChange(other, monitors);

        assertThat(n.filters()).as("finds for one change: one per distinct filter").isEqualTo(MONITORS);
        assertThat(n.openedBefore()).as("of which on connections accepted (find walked and opened) before the change")
                .isEqualTo(MONITORS);
        assertThat(n.accepted()).as("connections accepted since: the pool refilled").isEqualTo(MONITORS);
        assertThat(idleFindConnections()).as("idle find connections after the refill").isEqualTo(MONITORS);
    }

    @Test
    void thePoolIsBoundedAndFindsBeyondItOpenTheirOwnConnection() {
        int bound = 2;
        RegistryManager m = net().manager(Transport.BRIDGE, false, o -> o.bridgeFindPool(bound), ManagerOptions.builder());
        List<Monitor> monitors = monitors(m, 4, new ArrayList<>());
        Network.OtherClient other = net.otherClient();
        change(other, monitors, 1, "first-change");
        await().atMost(Network.WAIT).until(() -> idleFindConnections() == bound);

        Counts n = secondChange(other, monitors);

        assertThat(n.filters()).as("finds for one change").isEqualTo(4);
        assertThat(n.openedBefore()).as("of which on connections opened before it").isEqualTo(bound);
        assertThat(idleFindConnections()).as("idle find connections: the bound").isEqualTo(bound);
    }

    @Test
    void withoutThePoolEveryFindOpensItsConnectionAfterTheChange() {
        RegistryManager m = net().manager(Transport.BRIDGE, false, o -> o.bridgeFindPool(0), ManagerOptions.builder());
        List<Monitor> monitors = monitors(m, MONITORS, new ArrayList<>());
        Network.OtherClient other = net.otherClient();
        change(other, monitors, 1, "first-change");

        Counts n = secondChange(other, monitors);

        assertThat(n.filters()).as("finds for one change").isEqualTo(MONITORS);
        assertThat(n.openedBefore()).as("none opened before it").isZero();
        assertThat(n.accepted()).as("connections accepted: one per find").isEqualTo(MONITORS);
        assertThat(idleFindConnections()).as("idle find connections").isZero();
    }

    @Test
    void aRestartWithPooledConnectionsIdleLeavesEveryViewEqualToTheFilteredIndex() {
        RegistryManager m = pooled();
        List<RecordingListener> listeners = new ArrayList<>();
        List<Monitor> monitors = monitors(m, MONITORS, listeners);
        Network.OtherClient other = net.otherClient();
        change(other, monitors, 1, "first-change");
        await().atMost(Network.WAIT).until(() -> idleFindConnections() == MONITORS);

        net.registry.restart();

        // after the restart only the static services are there again (first-change went with its client)
        await().atMost(Network.WAIT).untilAsserted(() -> {
            for (int i = 0; i < MONITORS; i++) {
                assertThat(monitors.get(i).view().keySet()).as("view of w" + i).isEqualTo(filtered("w" + i));
            }
        });
        for (int i = 0; i < MONITORS; i++) {
            assertThat(names(listeners.get(i), "removed")).as("removed() of w" + i + ": the static service was never"
                    + " reported gone").doesNotContain("watched" + i);
        }
    }

    @Test
    void pooledConnectionsTheBridgeClosesAreDroppedAndNeverReadAsAnEmptyAnswer() {
        FindTrap trap = new FindTrap(net().vertx, net.registry.bridgeFindPort());
        RegistryManager m = net.manager(Transport.BRIDGE, false,
                o -> o.bridgePorts(trap.port(), net.registry.bridgeEventPort())
                        .bridgeFindPool(ConnectorOptions.SUGGESTED_BRIDGE_FIND_POOL), ManagerOptions.builder());
        List<RecordingListener> listeners = new ArrayList<>();
        List<Monitor> monitors = monitors(m, MONITORS, listeners);
        Network.OtherClient other = net.otherClient();
        change(other, monitors, 1, "first-change");
        await().atMost(Network.WAIT).until(() -> trap.idle() == MONITORS);
        // the bridge closes every idle find connection (a restart of its find listener, idle
        // reaping) while the event connection stays: each close reaches the client before any
        // filter, or crosses it on the wire (then it comes back within a round trip of the filter)
        assertThat(trap.closeIdle()).as("idle find connections closed by the bridge").isEqualTo(MONITORS);

        change(other, monitors, 2, "second-change");

        for (int i = 0; i < MONITORS; i++) {
            assertThat(monitors.get(i).view().keySet()).as("view of w" + i).isEqualTo(filtered("w" + i));
            assertThat(names(listeners.get(i), "removed")).as("removed() of w" + i).isEmpty();
        }
        await().atMost(Network.WAIT).until(() -> trap.idle() == MONITORS);
    }

    @Test
    void closingTheManagerLeavesNoBridgeConnectionOpen() {
        RegistryManager m = pooled();
        List<Monitor> monitors = monitors(m, MONITORS, new ArrayList<>());
        change(net.otherClient(), monitors, 1, "first-change");
        await().atMost(Network.WAIT).until(() -> idleFindConnections() == MONITORS);
        long open = net.registry.counters().openBridgeConnections();
        assertThat(open).as("bridge connections open: the event port's and the idle finds'")
                .isGreaterThanOrEqualTo(MONITORS + 1);

        m.close();

        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(net.registry.counters().openBridgeConnections())
                .as("bridge connections open after close()").isZero());
    }

    private Set<String> filtered(String w) {
        return net.registry.services().stream().filter(e -> "yes".equals(e.attributes().asMap().get(w)))
                .map(ServiceEntry::name).collect(Collectors.toSet());
    }

    private static List<String> names(RecordingListener l, String kind) {
        return l.deltas.stream().filter(d -> d.kind().equals(kind)).map(RecordingListener.Delta::name).toList();
    }

    /** A TCP relay in front of the bridge's find port that can close the connections that sent nothing yet. */
    private static final class FindTrap {
        private final NetServer server;
        private final Map<NetSocket, NetSocket> idle = new ConcurrentHashMap<>();

        FindTrap(Vertx vertx, int target) {
            server = vertx.createNetServer().connectHandler(client -> {
                client.pause();
                vertx.createNetClient().connect(target, "127.0.0.1").onSuccess(upstream -> {
                    idle.put(client, upstream);
                    client.handler(data -> {
                        idle.remove(client);
                        upstream.write(data);
                    });
                    upstream.handler(client::write);
                    upstream.closeHandler(v -> client.close());
                    client.closeHandler(v -> {
                        idle.remove(client);
                        upstream.close();
                    });
                    client.resume();
                }).onFailure(e -> client.close());
            });
            Network.join(server.listen(0, "127.0.0.1").toCompletionStage());
        }

        int port() {
            return server.actualPort();
        }

        int idle() {
            return idle.size();
        }

        /** @return how many connections that had sent nothing it closed (no byte sent to the client) */
        int closeIdle() {
            List<NetSocket> closing = new ArrayList<>(idle.keySet());
            closing.forEach(c -> {
                idle.remove(c);
                c.close();
            });
            return closing.size();
        }
    }
}
