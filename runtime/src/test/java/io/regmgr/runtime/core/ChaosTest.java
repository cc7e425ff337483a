package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.ClientSuiteProfiles;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.runtime.server.StyxTestClient;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chaos: seeded random schedules over one manager with services and monitors reaching the embedded
 * registry through a fault proxy (9P). A step is a registry restart, a cut, a half-open link, a
 * delay, another client registering / updating / removing a service, another client removing one
 * of ours behind the manager's back (as the owner, as behind export), an update of one of ours, or
 * an attach / detach of a registration or a monitor. After each step, once the network is quiet
 * again: every attached service is registered exactly once with its latest attributes, no detached
 * one is; every attached monitor's view is the registry's index filtered by its filter; every
 * listener's deltas, replayed in order from nothing, give its monitor's view.
 *
 * <p>Runs against each registry profile of {@link ClientSuiteProfiles} (today's server and the
 * exported registry), with the connectors' default options. {@value #DEFAULT_SCHEDULES} schedules of
 * {@value #STEPS} steps over 9P per profile by default and half as many over the bridge; {@code -Dregmgr.chaos.schedules=N} for more, {@code -Dregmgr.chaos.base=B}
 * to fix the seeds of a whole run, {@code -Dregmgr.chaos.seed=S} to replay one schedule (on each
 * transport; the seed and transport are in every failure message). Schedules share the registry and
 * the proxies; each starts from a freshly restarted registry and a new manager.
 */
@ParameterizedClass(name = "{0}")
@MethodSource(ClientSuiteProfiles.SOURCE)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChaosTest {
    private static final int DEFAULT_SCHEDULES = 100;
    private static final int STEPS = 5;
    /** Filters that share attributes (kind, v), so that covers ({@code kind *}, {@code v *}) are read too. */
    private static final List<Filter> FILTERS = List.of(Filter.all(), Filter.of("kind", "app"), Filter.of("v", "*"),
            Filter.of("kind", "db", "v", "*"), Filter.of("kind", "db"), Filter.of("v", "1"));

    private static Network net;

    @Parameter
    RegistryProfile profile;

    @BeforeParameterizedClassInvocation
    static void setUp(RegistryProfile profile) {
        net = new Network(profile);
    }

    @AfterParameterizedClassInvocation
    static void tearDown() {
        net.close();
    }

    /**
     * Runs the schedules of one transport, all through the same fault proxies (closed by the
     * network). The bridge runs half as many: it has three connections to cut, and 9P is the
     * transport the manager is tuned for.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyScheduleEndsConsistent(Transport transport) {
        ConnectorOptions options = net.options(transport, true).build();
        Network.Proxies proxies = net.proxies();
        String replay = System.getProperty("regmgr.chaos.seed");
        if (replay != null) {
            new Schedule(transport, options, proxies, Long.parseLong(replay)).run();
            return;
        }
        int schedules = Integer.getInteger("regmgr.chaos.schedules", DEFAULT_SCHEDULES);
        if (transport == Transport.BRIDGE) {
            schedules = Math.max(1, schedules / 2);
        }
        Random seeds = new Random(Long.getLong("regmgr.chaos.base", System.nanoTime()));
        long faults = 0;
        for (int i = 0; i < schedules; i++) {
            faults += new Schedule(transport, options, proxies, seeds.nextLong()).run();
        }
        System.out.printf("chaos %s, %s profile: %d schedules of %d steps, %d connection faults%n", transport,
                profile, schedules, STEPS, faults);
    }

    /** One schedule: its own manager and other client, its own model of what should be. */
    private static final class Schedule {
        private final Transport transport;
        private final ConnectorOptions options;
        private final Network.Proxies proxy;
        private final long seed;
        private final Random rnd;
        private final List<String> log = new ArrayList<>();
        private RegistryConnector connector;
        private RegistryManager manager;
        private final Map<String, ServiceRegistration> ours = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> ourUpdates = new HashMap<>();
        private final Map<String, Boolean> attached = new HashMap<>();
        private final List<Monitor> monitors = new ArrayList<>();
        private final List<RecordingListener> recorders = new ArrayList<>();
        private final List<Boolean> monitorAttached = new ArrayList<>();
        private RegistryConnector otherConnector;
        private RegistrySession other;
        private final Map<String, Registration> others = new LinkedHashMap<>();
        private int nextName;
        private int faults;
        private long reconnectsAtLeast;

        Schedule(Transport transport, ConnectorOptions options, Network.Proxies proxy, long seed) {
            this.transport = transport;
            this.options = options;
            this.proxy = proxy;
            this.seed = seed;
            this.rnd = new Random(seed);
        }

        /** @return how many faults ended the manager's connection */
        int run() {
            try {
                begin();
                for (int step = 0; step < STEPS; step++) {
                    step();
                    quietAndCheck();
                }
                return faults;
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("chaos schedule failed over " + transport + " against the "
                        + net.registry.profile() + " profile; replay with -Dregmgr.chaos.seed=" + seed
                        + " -Dtest='ChaosTest#everyScheduleEndsConsistent'\nsteps: " + log + "\n" + e, e);
            } finally {
                end();
            }
        }

        private void begin() {
            proxy.refuse(false);
            proxy.delay(Duration.ZERO);
            restartRegistry();
            connector = net.connector(transport, options);
            manager = RegistryManagers.create(connector, ManagerOptions.builder().vertx(net.vertx)
                    .reconnectDelays(Duration.ofMillis(5), Duration.ofMillis(50)).build());
            int services = 1 + rnd.nextInt(4);
            for (int i = 0; i < services; i++) {
                register();
            }
            int count = 1 + rnd.nextInt(3);
            for (int i = 0; i < count; i++) {
                RecordingListener rec = new RecordingListener();
                recorders.add(rec);
                monitors.add(manager.monitor(FILTERS.get(rnd.nextInt(FILTERS.size())), rec));
                monitorAttached.add(true);
            }
            for (int i = rnd.nextInt(3); i > 0; i--) {
                otherRegisters();
            }
            quietAndCheck();
        }

        /**
         * Stops and starts the registry on the same ports. Starting right after stopping sometimes
         * fails to bind ("Address already in use") for a moment: retried until it binds.
         */
        private void restartRegistry() {
            net.registry.stop();
            await().atMost(Network.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).ignoreExceptions()
                    .until(() -> net.registry.start().isRunning());
        }

        private void end() {
            if (manager != null) {
                manager.close();
            }
            if (connector != null) {
                connector.close();
            }
            closeOther();
            proxy.releaseRegistrySides();
        }

        private void step() {
            boolean connected = manager.status().isConnected();
            long reconnects = manager.status().reconnects();
            String fault = fault();
            if (fault != null && connected) {
                // the fault ended the session the manager had: quiet means connected again
                faults++;
                reconnectsAtLeast = reconnects + 1;
            }
        }

        /** @return the fault that ended the manager's connection, or null if the step is no such fault */
        private String fault() {
            switch (rnd.nextInt(13)) {
                case 0 -> {
                    log.add("restart");
                    restartRegistry();
                    others.clear();
                    closeOther();
                    return "restart";
                }
                case 1 -> {
                    log.add("cut");
                    proxy.cutAll();
                    return "cut";
                }
                case 2 -> {
                    log.add("half-open");
                    proxy.cutClientSideOnly();
                    otherActs();
                    proxy.releaseRegistrySides();
                    return "half-open";
                }
                case 3 -> {
                    log.add("delay");
                    proxy.delay(Duration.ofMillis(1 + rnd.nextInt(20)));
                    otherActs();
                    ourUpdate();
                    proxy.delay(Duration.ZERO);
                }
                case 4, 5 -> otherActs();
                case 6, 7 -> ourUpdate();
                case 8 -> register();
                case 9 -> toggleRegistration();
                case 10 -> toggleMonitor();
                case 11 -> intruderRemovesOneOfOurs();
                default -> {
                    log.add("cut+update");
                    proxy.cutAll();
                    ourUpdate();
                    otherActs();
                    return "cut";
                }
            }
            return null;
        }

        private void closeOther() {
            if (otherConnector != null) {
                otherConnector.close();
            }
            otherConnector = null;
            other = null;
        }

        private String name(String prefix) {
            return prefix + (nextName++);
        }

        private void register() {
            String name = name("m");
            log.add("register " + name);
            Map<String, String> attrs = randomAttributes();
            ours.put(name, manager.register(new ServiceEntry(name, Attributes.of(attrs))));
            ourUpdates.put(name, new HashMap<>(attrs));
            attached.put(name, true);
        }

        private void ourUpdate() {
            if (ours.isEmpty()) {
                return;
            }
            String name = pick(new ArrayList<>(ours.keySet()));
            Map<String, String> change = randomAttributes();
            log.add("update " + name + " " + change);
            ours.get(name).update(Attributes.of(change));
            ourUpdates.get(name).putAll(change);
        }

        private void toggleRegistration() {
            if (ours.isEmpty()) {
                return;
            }
            String name = pick(new ArrayList<>(ours.keySet()));
            boolean now = attached.get(name);
            log.add((now ? "detach " : "attach ") + name);
            if (now) {
                manager.detach(ours.get(name));
            } else {
                manager.attach(ours.get(name));
            }
            attached.put(name, !now);
        }

        private void toggleMonitor() {
            int i = rnd.nextInt(monitors.size());
            boolean now = monitorAttached.get(i);
            log.add((now ? "detach monitor " : "attach monitor ") + i);
            if (now) {
                manager.detach(monitors.get(i));
            } else {
                manager.attach(monitors.get(i));
            }
            monitorAttached.set(i, !now);
        }

        /**
         * Another client with the owner's name (behind export every client is the owner) removes
         * one of our services while the manager stays connected: the manager must register it again.
         */
        private void intruderRemovesOneOfOurs() {
            if (ours.isEmpty()) {
                return;
            }
            String name = pick(new ArrayList<>(ours.keySet()));
            log.add("intruder removes " + name);
            try (StyxTestClient intruder = StyxTestClient.connect(net.registry.styxPort())) {
                intruder.version(StyxTestClient.DEFAULT_MSIZE);
                // bridge registrations belong to the registry's own user; 9P ones to the attach name
                intruder.attach(0, transport == Transport.BRIDGE ? "registry" : System.getProperty("user.name"));
                if (intruder.walk(0, 1, name) instanceof StyxMessage.Rwalk) {
                    intruder.rpc(new StyxMessage.Tremove(intruder.nextTag(), 1)); // may be gone already: any answer will do
                }
            }
        }

        private void otherActs() {
            int what = others.isEmpty() ? 0 : rnd.nextInt(3);
            if (what == 0) {
                otherRegisters();
            } else {
                String name = pick(new ArrayList<>(others.keySet()));
                if (what == 1) {
                    Map<String, String> change = randomAttributes();
                    log.add("other updates " + name + " " + change);
                    Network.join(others.get(name).update(Attributes.of(change)));
                } else {
                    log.add("other removes " + name);
                    Network.join(others.remove(name).unregister());
                }
            }
        }

        private void otherRegisters() {
            if (other == null) {
                otherConnector = new StyxConnector(net.options(Transport.STYX, false).build());
                other = Network.join(otherConnector.connect(new SessionListener() {
                            @Override
                            public void changed(long version) {
                            }

                            @Override
                            public void closed(Throwable cause) {
                            }
                        }));
            }
            String name = name("o");
            Map<String, String> attrs = randomAttributes();
            log.add("other registers " + name + " " + attrs);
            others.put(name, Network.join(other.register(new ServiceEntry(name, Attributes.of(attrs)), RegistrationListener.NONE)));
        }

        private Map<String, String> randomAttributes() {
            Map<String, String> m = new HashMap<>();
            if (rnd.nextBoolean()) {
                m.put("kind", rnd.nextBoolean() ? "app" : "db");
            }
            if (rnd.nextBoolean()) {
                m.put("v", Integer.toString(rnd.nextInt(5)));
            }
            if (m.isEmpty()) {
                m.put("x", Integer.toString(rnd.nextInt(5)));
            }
            return m;
        }

        private <T> T pick(List<T> list) {
            return list.get(rnd.nextInt(list.size()));
        }

        /** Waits until the network is quiet (every condition holds), then asserts it with descriptions. */
        private void quietAndCheck() {
            await().atMost(Network.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .untilAsserted(this::check);
        }

        private void check() {
            assertThat(manager.status().isConnected()).as("connected").isTrue();
            assertThat(manager.status().reconnects()).as("reconnected after the last fault").isGreaterThanOrEqualTo(reconnectsAtLeast);
            List<ServiceEntry> index = net.registry.services();
            Map<String, List<ServiceEntry>> byName = index.stream().collect(Collectors.groupingBy(ServiceEntry::name));
            for (Map.Entry<String, ServiceRegistration> e : ours.entrySet()) {
                String name = e.getKey();
                ServiceRegistration r = e.getValue();
                if (attached.get(name)) {
                    assertThat(r.status().state()).as("state of %s", name).isEqualTo(RegistrationState.REGISTERED);
                    assertThat(byName.get(name)).as("%s registered exactly once with its latest attributes", name)
                            .containsExactly(r.entry());
                    assertThat(r.entry().attributes().asMap()).as("attributes of %s", name)
                            .containsAllEntriesOf(ourUpdates.get(name));
                } else {
                    assertThat(byName.get(name)).as("detached %s not registered", name).isNull();
                }
            }
            for (int i = 0; i < monitors.size(); i++) {
                if (!monitorAttached.get(i)) {
                    continue;
                }
                Monitor m = monitors.get(i);
                Filter f = m.filter();
                Map<String, ServiceEntry> expected = index.stream().filter(s -> f.matches(s.attributes()))
                        .collect(Collectors.toMap(ServiceEntry::name, s -> s));
                assertThat(m.isSynced()).as("monitor %d %s synced", i, f).isTrue();
                assertThat(m.view()).as("monitor %d %s view is the registry's index filtered", i, f).isEqualTo(expected);
                assertThat(recorders.get(i).replay()).as("monitor %d %s deltas replayed give its view: %s", i, f,
                        recorders.get(i).all()).isEqualTo(m.view());
            }
        }
    }
}
