package io.regmgr.runtime.core;

import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.runtime.server.StyxTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another 9P client (attached as the owner) removes our service each time it is back, as fast as
 * it can: every removal is repaired within the backoff. A removal that landed while our own write
 * was under way (the registry applied it, its answer not yet handled) used to be lost for good: the
 * change came while registering and was dropped, or its read, sent before the write was confirmed,
 * was ignored; no further change came, so the status stayed REGISTERED while the registry held
 * nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RepeatedRemovalRepairTest {
    private static final String NAME = "tcp!10.0.0.5!8081";
    private static final int REMOVALS = 150; // without the fix one was never repaired within the first 10..60
    /** Between walks to the name (the tester's client: 1 ms; spinning made the failure rare). */
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(1);
    /** Generous against the backoff (the first retry within 50 ms): a repair is due well within it. */
    private static final Duration REPAIRED_WITHIN = Duration.ofSeconds(3);

    private Network net;
    private StyxTestClient other;
    private RegistryManager m;

    @AfterEach
    void tearDown() {
        if (other != null) {
            other.close();
        }
        if (m != null) {
            m.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RegistryProfile.class, names = {"EXPORTED", "DEFAULT"})
    void everyRemovalIsRepaired(RegistryProfile profile) {
        net = new Network(profile);
        // on a Vert.x of its own, the default backoff (the first retry within 50 ms), as the tester's
        m = RegistryManagers.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + net.registry.styxPort()).build(),
                ManagerOptions.defaults());
        ServiceRegistration r = m.register(ServiceEntry.of(NAME, "proto", "http"));
        await().atMost(Network.WAIT).until(() -> r.status().state() == RegistrationState.REGISTERED);
        other = StyxTestClient.connect(net.registry.styxPort());
        other.version(StyxTestClient.DEFAULT_MSIZE);
        other.attach(0, System.getProperty("user.name"));
        int fid = 1;
        for (int i = 1; i <= REMOVALS; i++) {
            // walk to the name until it is back (a failed walk allocates no fid), then remove it at
            // once: as tight as the tester's client, so that removals land within the manager's own
            // write (Awaitility's polling thread would let most of them land after it)
            long deadline = System.nanoTime() + REPAIRED_WITHIN.toNanos();
            while (!(other.walk(0, fid, NAME) instanceof StyxMessage.Rwalk)) {
                assertThat(System.nanoTime() - deadline)
                        .as("registered again within %s after removal %d (status %s, registry holds %s)",
                                REPAIRED_WITHIN, i - 1, r.status(), net.registry.services())
                        .isNegative();
                LockSupport.parkNanos(POLL); // the tester's poll interval, not a wait for a condition
            }
            assertThat(other.rpc(new StyxMessage.Tremove(other.nextTag(), fid)))
                    .as("removal %d", i).isInstanceOf(StyxMessage.Rremove.class);
            fid++;
        }
        await().atMost(REPAIRED_WITHIN).until(() -> !net.registry.services().isEmpty()
                && r.status().state() == RegistrationState.REGISTERED);
    }
}
