package io.regmgr.runtime.core;

import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.RegistryCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A herd: 20 managers with 5 services each on one registry that restarts, staying down until every
 * manager has tried to reach it several times. Every manager restores; while the registry was
 * down it only probed, and once it was back each manager set up exactly one session after exactly
 * one accepted probe (counted by the registry: connections accepted against {@code Tversion}s).
 * With probes off (the previous schedule) every attempt is a session setup.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestoreHerdTest {
    private static final int MANAGERS = 20;
    private static final int SERVICES = 5;
    private static final int FAILED_ATTEMPTS = 3;

    private final Network net = new Network();
    private final List<RegistryManager> managers = new ArrayList<>();
    private final List<ServiceRegistration> regs = new ArrayList<>();

    @AfterEach
    void tearDown() {
        managers.forEach(RegistryManager::close);
        net.close();
    }

    @Test
    void everyManagerRestoresAfterOneCheapProbeAndOneSessionSetup() {
        Restart seen = restartHerd(true);
        assertThat(seen.setups()).as("session setups after the restart: one per manager").isEqualTo(MANAGERS);
        assertThat(seen.attaches()).as("attaches after the restart: one per manager").isEqualTo(MANAGERS);
        assertThat(seen.connections()).as("connections accepted: one probe and one session per manager")
                .isEqualTo(2L * MANAGERS);
    }

    @Test
    void withoutProbesEveryConnectionIsASessionSetup() {
        Restart seen = restartHerd(false);
        assertThat(seen.connections()).as("connections accepted after the restart").isEqualTo(seen.setups())
                .isGreaterThanOrEqualTo(MANAGERS);
    }

    /** What the registry counted from the restart until every manager restored. */
    private record Restart(long connections, long setups, long attaches) {
    }

    /**
     * Starts the herd, stops the registry until every manager has failed {@value #FAILED_ATTEMPTS}
     * attempts, starts it and waits until every service is back.
     */
    private Restart restartHerd(boolean probes) {
        startHerd(probes);
        RegistryCounters c = net.registry.counters();
        long connections = c.connections();
        long setups = c.requests(StyxMessage.TVERSION);
        long attaches = c.requests(StyxMessage.TATTACH);
        net.registry.stop();
        await().atMost(Network.WAIT).until(() -> managers.stream()
                .allMatch(m -> m.status().attempt() >= FAILED_ATTEMPTS));
        net.registry.start();
        awaitRestored();
        return new Restart(c.connections() - connections, c.requests(StyxMessage.TVERSION) - setups,
                c.requests(StyxMessage.TATTACH) - attaches);
    }

    private void startHerd(boolean probes) {
        String address = "tcp!127.0.0.1!" + net.registry.styxPort();
        for (int i = 0; i < MANAGERS; i++) {
            RegistryManager m = RegistryManagers.styx(net.options(Transport.STYX, false).build(), ManagerOptions.builder()
                    .vertx(net.vertx).reconnectProbes(probes).build());
            managers.add(m);
            for (int s = 0; s < SERVICES; s++) {
                regs.add(m.register(ServiceEntry.of("m" + i + "-" + s, "kind", "herd", "at", address)));
            }
        }
        awaitRestored();
    }

    private void awaitRestored() {
        await().atMost(Network.WAIT).until(() -> {
            if (!regs.stream().allMatch(r -> r.status().state() == RegistrationState.REGISTERED)) {
                return false;
            }
            Set<ServiceEntry> listed = new HashSet<>(net.registry.services());
            return regs.stream().allMatch(r -> listed.contains(r.entry()));
        });
    }
}
