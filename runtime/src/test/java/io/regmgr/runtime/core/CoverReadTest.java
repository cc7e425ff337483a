package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Monitors whose distinct filters share an attribute ({@code watch w0}, {@code watch w1}, ...) are
 * served by one cover, the find {@code watch *}, when few services carry {@code watch}: counted by
 * the embedded registry (one find per change, the matching lines only), not timed; not when every
 * service carries it (the cover would list the whole index); and whatever is read, every view
 * stays the registry's index filtered by its monitor's filter through random changes and a restart.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoverReadTest {
    private static final int OTHERS = 1_000;

    private final RegistryProfile profile;
    private Network net;

    /** @param profile the kind of real registry the embedded one behaves like */
    CoverReadTest(RegistryProfile profile) {
        this.profile = profile;
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    /** @param othersWatch the value of {@code watch} every other service carries, or null for none */
    private Network network(String othersWatch) {
        net = new Network(profile, b -> {
            for (int i = 0; i < OTHERS; i++) {
                b.staticService(othersWatch == null ? ServiceEntry.of("other" + i, "kind", "other", "n", "" + i)
                        : ServiceEntry.of("other" + i, "kind", "other", "watch", othersWatch));
            }
            return b;
        });
        return net;
    }

    private static List<Monitor> watching(RegistryManager m, int count) {
        List<Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            monitors.add(m.monitor(Filter.of("watch", "w" + i), new RecordingListener()));
        }
        await().atMost(Network.WAIT).until(() -> monitors.stream().allMatch(Monitor::isSynced));
        return monitors;
    }

    static Stream<Arguments> transportsAndMonitors() {
        return Stream.of(Arguments.of(Transport.STYX, 10), Arguments.of(Transport.STYX, 100),
                Arguments.of(Transport.BRIDGE, 10), Arguments.of(Transport.BRIDGE, 100));
    }

    /** What a change costs: finds, index reads, lines formatted, 9P reads, bridge connections. */
    private static long[] costs(RegistryCounters c) {
        return new long[] {c.findReads(), c.indexReads(), c.linesFormatted(), c.requests(StyxMessage.TREAD),
            c.bridgeConnections()};
    }

    /** Registers a service of monitor 1 from another client; returns what it cost once the registry is quiet. */
    private long[] change(Network.OtherClient other, List<Monitor> monitors, String name) {
        RegistryCounters c = net.registry.counters();
        LongSupplier activity = () -> c.totalRequests() + c.connections() + c.linesFormatted();
        long[] before = costs(c);
        other.register(ServiceEntry.of(name, "watch", "w1"));
        await().atMost(Network.WAIT).until(() -> monitors.get(1).view().containsKey(name));
        ReadCostTest.quiet(activity);
        long[] after = costs(c);
        for (int i = 0; i < after.length; i++) {
            after[i] -= before[i];
        }
        return after;
    }

    @ParameterizedTest(name = "{0}, {1} monitors")
    @MethodSource("transportsAndMonitors")
    void manyMonitorsOnOneAttributeCostOneFindOfItsServicesPerChange(Transport transport, int count) {
        network(null);
        List<Monitor> monitors = watching(net.manager(transport), count);
        Network.OtherClient other = net.otherClient();
        // the first sync read the index (several filters, sizes unknown), which counted the services carrying watch
        change(other, monitors, "first-change");
        long[] cost = change(other, monitors, "second-change");

        assertThat(cost[0]).as("finds per change: one, watch *, for " + count + " distinct filters").isEqualTo(1);
        assertThat(cost[1]).as("index reads").isZero();
        assertThat(cost[2]).as("lines formatted: the services carrying watch (2), not the " + OTHERS + " others")
                .isEqualTo(2);
        if (transport == Transport.STYX) {
            assertThat(cost[3]).as("9P reads: the cover's on its fid kept open, our event read re-armed, the other"
                    + " client's event read re-armed").isEqualTo(3);
        } else {
            assertThat(cost[4]).as("bridge connections: one find").isEqualTo(1);
        }
        assertViewsAreTheFilteredIndex(monitors, "after two changes");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = "STYX")
    void whenEveryServiceCarriesTheAttributeItsCoverIsNotRead(Transport transport) {
        network("none");
        List<Monitor> monitors = watching(net.manager(transport), 10);
        Network.OtherClient other = net.otherClient();
        change(other, monitors, "first-change");
        long[] cost = change(other, monitors, "second-change");

        assertThat(cost[0]).as("finds per change: one per filter, as without covers (watch * would list all "
                + OTHERS + ")").isEqualTo(10);
        assertThat(cost[2]).as("lines formatted: the two services of w1").isEqualTo(2);
        assertViewsAreTheFilteredIndex(monitors, "after two changes");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void viewsAndLookupsAreTheFilteredIndexThroughRandomChangesAndARestart(Transport transport) {
        network(null);
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        RegistryManager m = net.manager(transport);
        List<Filter> filters = List.of(Filter.of("watch", "w0"), Filter.of("watch", "w1"), Filter.of("watch", "w2"),
                Filter.of("watch", "*"), Filter.of("zone", "z1", "watch", "w1"), Filter.of("zone", "z0"),
                Filter.of("zone", "*"), Filter.of("solo", "yes"));
        Map<Monitor, RecordingListener> monitors = new LinkedHashMap<>();
        filters.forEach(f -> {
            RecordingListener l = new RecordingListener();
            monitors.put(m.monitor(f, l), l);
        });
        await().atMost(Network.WAIT).until(() -> monitors.keySet().stream().allMatch(Monitor::isSynced));
        String what = transport + " seed " + seed;
        randomChanges(net.otherClient(), rnd, 40);
        awaitConsistent(m, monitors, what + ", after random changes");
        net.registry.restart();
        randomChanges(net.otherClient(), rnd, 10);
        awaitConsistent(m, monitors, what + ", after a restart (the other client's services before it gone)");
    }

    private static void randomChanges(Network.OtherClient other, Random rnd, int steps) {
        List<Registration> ours = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            int action = ours.isEmpty() ? 0 : rnd.nextInt(3);
            if (action == 0) {
                ours.add(other.register(ServiceEntry.of("s" + step, randomAttributes(rnd))));
            } else if (action == 1) {
                Network.join(ours.get(rnd.nextInt(ours.size())).update(Attributes.of(randomAttributes(rnd))));
            } else {
                Network.join(ours.remove(rnd.nextInt(ours.size())).unregister());
            }
        }
    }

    /** Some of watch (w0-w3), zone (z0-z1) and solo, or only an attribute no filter names. */
    private static String[] randomAttributes(Random rnd) {
        List<String> words = new ArrayList<>(List.of("kind", "random"));
        if (rnd.nextBoolean()) {
            words.addAll(List.of("watch", "w" + rnd.nextInt(4)));
        }
        if (rnd.nextBoolean()) {
            words.addAll(List.of("zone", "z" + rnd.nextInt(2)));
        }
        if (rnd.nextInt(4) == 0) {
            words.addAll(List.of("solo", "yes"));
        }
        return words.toArray(String[]::new);
    }

    private void awaitConsistent(RegistryManager m, Map<Monitor, RecordingListener> monitors, String what) {
        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertViewsAreTheFilteredIndex(List.copyOf(monitors.keySet()), what);
            monitors.forEach((mon, l) -> assertThat(l.replay()).as("%s: deltas of %s replayed", what, mon.filter())
                    .isEqualTo(mon.view()));
        });
        for (Filter f : List.of(Filter.of("watch", "w3"), Filter.of("zone", "z1", "solo", "yes"))) {
            assertThat(Network.join(m.lookup(f))).as("%s: lookup %s", what, f)
                    .containsExactlyInAnyOrderElementsOf(filtered(f));
        }
    }

    private List<ServiceEntry> filtered(Filter f) {
        return net.registry.services().stream().filter(s -> f.matches(s.attributes())).toList();
    }

    private void assertViewsAreTheFilteredIndex(List<Monitor> monitors, String what) {
        for (Monitor mon : monitors) {
            Map<String, ServiceEntry> expected = filtered(mon.filter()).stream()
                    .collect(Collectors.toMap(ServiceEntry::name, s -> s));
            assertThat(mon.view()).as("%s: view of %s is the registry's index filtered", what, mon.filter())
                    .isEqualTo(expected);
        }
    }
}
