package io.regmgr.runtime.core;

import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.Subscription;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.runtime.server.StyxTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A blocked status listener costs one pending status, not one per change: while another client
 * (behind {@code export} everyone is the owner) keeps removing our service and the manager keeps
 * repairing it, the listener's backlog stays bounded, and once released it hears the latest
 * status only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusListenerBacklogTest {
    private static final String NAME = "tcp!10.0.0.5!8081";
    private static final int REMOVALS = 100;

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

    @Test
    void listenersAreCoalescedToTheLatestPendingEvent() {
        Listeners<Integer> listeners = new Listeners<>();
        List<Runnable> queued = new ArrayList<>();
        List<Integer> heard = new ArrayList<>();
        List<Integer> heardByOther = new ArrayList<>();
        listeners.add(heard::add);
        Subscription second = listeners.add(heardByOther::add);
        for (int i = 1; i <= 1000; i++) {
            listeners.fire(queued::add, i);
        }
        assertThat(queued).as("one pending submission per listener").hasSize(2);
        queued.forEach(Runnable::run);
        assertThat(heard).as("the latest only").containsExactly(1000);
        assertThat(heardByOther).containsExactly(1000);
        queued.clear();
        second.close();
        listeners.fire(queued::add, 1001);
        listeners.fire(queued::add, 1002);
        queued.forEach(Runnable::run);
        assertThat(heard).as("a listener that keeps up hears every change once").containsExactly(1000, 1002);
        listeners.fire(queued::add, 1003);
        queued.get(queued.size() - 1).run();
        assertThat(heard).containsExactly(1000, 1002, 1003);
        assertThat(heardByOther).as("removed").containsExactly(1000);
    }

    @Test
    void blockedStatusListenerHoldsOneStatusNotOnePerRemoval() throws Exception {
        net = new Network(RegistryProfile.EXPORTED);
        RegistryManager m = net.manager(Transport.STYX, false, UnaryOperator.identity(),
                ManagerOptions.builder().reconnectDelays(Duration.ofMillis(10), Duration.ofMillis(200)));
        ServiceRegistration r = m.register(ServiceEntry.of(NAME, "proto", "http"));
        await().atMost(Network.WAIT).until(() -> r.status().state() == RegistrationState.REGISTERED);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<RegistrationStatus> heard = new CopyOnWriteArrayList<>();
        r.onStatus(s -> {
            heard.add(s);
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other = StyxTestClient.connect(net.registry.styxPort());
        other.version(StyxTestClient.DEFAULT_MSIZE);
        other.attach(0, "anyone");
        int[] fid = {1};
        for (int i = 1; i <= REMOVALS; i++) {
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Network.WAIT)
                    .until(() -> other.walk(0, fid[0], NAME) instanceof StyxMessage.Rwalk);
            assertThat(other.rpc(new StyxMessage.Tremove(other.nextTag(), fid[0]))).isInstanceOf(StyxMessage.Rremove.class);
            fid[0]++;
        }
        assertThat(blocked.await(Network.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the listener is blocked").isTrue();
        await().atMost(Network.WAIT).until(() -> r.status().state() == RegistrationState.REGISTERED
                && !net.registry.services().isEmpty());
        // 2 status changes per removal were made while the listener was blocked in the first
        release.countDown();
        await().atMost(Network.WAIT).until(() -> heard.size() == 2);
        await().during(Duration.ofMillis(300)).atMost(Network.WAIT).until(() -> heard.size() == 2);
        assertThat(heard.get(0).state()).as("the first change: the first removal").isEqualTo(RegistrationState.RETRYING);
        assertThat(heard.get(1)).as("then the latest status only").isEqualTo(r.status());
    }
}
