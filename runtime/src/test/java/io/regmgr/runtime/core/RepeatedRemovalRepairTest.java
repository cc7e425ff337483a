package io.regmgr.runtime.core;

import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.runtime.server.StyxTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another 9P client (attached as the owner) removes our service each time it is back, as fast as
 * it can: every removal is repaired within the backoff. A removal that lands while the manager
 * has not yet heard the answer to its own registration (the registry applied the write, the Rwrite
 * is on its way) used to be lost: the change's read was ignored as "sent before confirmation" and
 * no further change came, so the status stayed REGISTERED while the registry held nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RepeatedRemovalRepairTest {
    private static final String NAME = "tcp!10.0.0.5!8081";
    private static final int REMOVALS = 300;
    /** Generous against the backoff (the first retry within 50 ms): a repair is due well within it. */
    private static final Duration REPAIRED_WITHIN = Duration.ofSeconds(3);

    private Network net;
    private StyxTestClient other;

    @AfterEach
    void tearDown() {
        if (other != null) {
            other.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RegistryProfile.class, names = {"EXPORTED", "DEFAULT"})
    void everyRemovalIsRepaired(RegistryProfile profile) {
        net = new Network(profile);
        RegistryManager m = net.manager(Transport.STYX); // the default backoff: the first retry within 50 ms
        ServiceRegistration r = m.register(ServiceEntry.of(NAME, "proto", "http"));
        await().atMost(Network.WAIT).until(() -> r.status().state() == RegistrationState.REGISTERED);
        other = StyxTestClient.connect(net.registry.styxPort());
        other.version(StyxTestClient.DEFAULT_MSIZE);
        other.attach(0, System.getProperty("user.name"));
        int[] fid = {1};
        for (int i = 1; i <= REMOVALS; i++) {
            int removal = i;
            // walk to the name until it is back (a failed walk allocates no fid), then remove it at once
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(REPAIRED_WITHIN)
                    .alias("registered again after removal " + (removal - 1) + " (status " + r.status()
                            + ", reconnects " + m.status().reconnects() + ")")
                    .until(() -> other.walk(0, fid[0], NAME) instanceof StyxMessage.Rwalk);
            assertThat(other.rpc(new StyxMessage.Tremove(other.nextTag(), fid[0])))
                    .as("removal %d", removal).isInstanceOf(StyxMessage.Rremove.class);
            fid[0]++;
        }
        await().atMost(REPAIRED_WITHIN).until(() -> !net.registry.services().isEmpty()
                && r.status().state() == RegistrationState.REGISTERED);
    }
}
