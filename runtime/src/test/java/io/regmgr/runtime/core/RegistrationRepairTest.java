package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.RegistrationConflictException;
import io.regmgr.RegistrationLostException;
import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.StyxTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registration changed behind the manager's back while it stays connected is repaired (issue 13,
 * part 1), over both transports, by a second real 9P client with the owner's user name (behind
 * {@code export} every client is the owner): removed -> registered again within the backoff
 * (RETRYING meanwhile); attributes rewritten -> ours written back; the name taken over by another
 * party's service -> CONFLICT, nothing written over it, registered again once the name is free.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegistrationRepairTest {
    private static final String NAME = "tcp!10.0.0.5!8081";
    private static final String TOKEN = ManagerOptions.DEFAULT_INSTANCE_TOKEN_ATTRIBUTE;

    private final Network net = new Network();
    private StyxTestClient other;

    @AfterEach
    void tearDown() {
        if (other != null) {
            other.close();
        }
        net.close();
    }

    private RegistryManager manager(Transport transport) {
        return manager(transport, Duration.ofMillis(10));
    }

    /**
     * @param firstRetry the first delay before registering again: a monitor whose delivery has not
     *     taken a removal within it hears the removal and the re-registration merged (README, "Slow
     *     listeners cost bounded memory"), so a test of both gives the listener that long
     */
    private RegistryManager manager(Transport transport, Duration firstRetry) {
        return net.manager(transport, false, UnaryOperator.identity(),
                ManagerOptions.builder().reconnectDelays(firstRetry, Duration.ofMillis(200).plus(firstRetry)));
    }

    /**
     * Another 9P client attached as the owner of the manager's services on this transport, with
     * fid 1 on our service (opened for writing if asked).
     */
    private StyxTestClient other(Transport transport, boolean openForWriting) {
        other = StyxTestClient.connect(net.registry.styxPort());
        other.version(StyxTestClient.DEFAULT_MSIZE);
        // over the bridge the registry owns every registration; over 9P the attach name does
        other.attach(0, transport == Transport.BRIDGE ? "registry" : System.getProperty("user.name"));
        other.walk(0, 1, NAME);
        if (openForWriting) {
            other.open(1, StyxMessage.OWRITE);
        }
        return other;
    }

    private static ServiceRegistration registered(RegistryManager m, List<RegistrationStatus> states) {
        ServiceRegistration r = m.register(ServiceEntry.of(NAME, "proto", "http", "kind", "orders"));
        r.onStatus(states::add);
        awaitState(r, RegistrationState.REGISTERED);
        return r;
    }

    private static void awaitState(ServiceRegistration r, RegistrationState state) {
        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(r.status().state()).as("state of %s", r.name())
                .isEqualTo(state));
    }

    /** The example: another client removes our service; the manager and its monitor see it and it comes back. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServiceRemovedByAnotherClientIsRegisteredAgain(Transport transport) {
        // 10 ms: our tester saw a starved delivery thread merge the two on a loaded machine
        RegistryManager m = manager(transport, Duration.ofMillis(500));
        List<RegistrationStatus> states = new CopyOnWriteArrayList<>();
        ServiceRegistration r = registered(m, states);
        RecordingListener rec = new RecordingListener();
        Monitor mon = m.monitor(Filter.of("kind", "orders"), rec);
        await().atMost(Network.WAIT).until(mon::isSynced);
        StyxTestClient o = other(transport, false);

        assertThat(o.rpc(new StyxMessage.Tremove(o.nextTag(), 1))).as("remove by another client")
                .isInstanceOf(StyxMessage.Rremove.class);

        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(net.registry.services()).as("registered again, as it was").containsExactly(r.entry());
            assertThat(r.status().state()).as("state").isEqualTo(RegistrationState.REGISTERED);
            assertThat(rec.of(ChangeOrigin.LIVE)).as("the monitor saw it go and come back")
                    .containsExactly("removed " + NAME, "added " + NAME);
        });
        assertThat(states).as("not registered meanwhile, with the reason").anySatisfy(s -> {
            assertThat(s.state()).isEqualTo(RegistrationState.RETRYING);
            assertThat(s.error()).isInstanceOf(RegistrationLostException.class).hasMessageContaining(NAME);
        });
        assertThat(m.status().reconnects()).as("the connection stayed up").isZero();
        assertThat(rec.replay()).as("replay == view").isEqualTo(mon.view());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void attributesRewrittenByAnotherClientAreWrittenBack(Transport transport) {
        List<RegistrationStatus> states = new CopyOnWriteArrayList<>();
        ServiceRegistration r = registered(manager(transport), states);
        StyxTestClient o = other(transport, true);

        assertThat(o.write(1, "proto ftp extra 1")).as("rewrite by another client").isInstanceOf(StyxMessage.Rwrite.class);

        await().atMost(Network.WAIT).untilAsserted(() -> assertThat(net.registry.services()).as("ours written back")
                .singleElement().satisfies(e -> assertThat(e.attributes().asMap())
                        .containsAllEntriesOf(r.entry().attributes().asMap())
                        .containsEntry("extra", "1"))); // a registry never deletes an attribute
        assertThat(r.status().state()).as("state").isEqualTo(RegistrationState.REGISTERED);
        assertThat(states).as("never unregistered for it").extracting(RegistrationStatus::state)
                .doesNotContain(RegistrationState.RETRYING, RegistrationState.CONFLICT);
    }

    /** Removed and registered at once by another party (one TCP write, so the manager cannot slip in between). */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aNameTakenOverByAnotherPartyIsAConflictNeverAFight(Transport transport) {
        ServiceRegistration r = registered(manager(transport), new CopyOnWriteArrayList<>());
        StyxTestClient o = other(transport, false);
        o.walk(0, 2, "new");
        o.open(2, StyxMessage.ORDWR);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(StyxCodec.encode(new StyxMessage.Tremove(o.nextTag(), 1)));
        both.writeBytes(StyxCodec.encode(new StyxMessage.Twrite(o.nextTag(), 2, 0,
                (NAME + " proto http kind billing").getBytes(StandardCharsets.UTF_8))));

        o.sendRaw(both.toByteArray());
        assertThat(List.of(o.receive(), o.receive())).as("remove, then the other party's registration")
                .hasOnlyElementsOfTypes(StyxMessage.Rremove.class, StyxMessage.Rwrite.class);

        ServiceEntry theirs = ServiceEntry.of(NAME, "proto", "http", "kind", "billing");
        awaitState(r, RegistrationState.CONFLICT);
        assertThat(r.status().error()).as("the conflict, named").isInstanceOf(RegistrationConflictException.class)
                .hasMessageContaining(NAME).hasMessageContaining(TOKEN);
        assertThat(net.registry.services()).as("theirs, not written over").containsExactly(theirs);

        o.clunk(2); // the other party leaves: the name is free again

        await().atMost(Network.WAIT).untilAsserted(() -> {
            assertThat(r.status().state()).as("state").isEqualTo(RegistrationState.REGISTERED);
            assertThat(net.registry.services()).as("ours again").containsExactly(r.entry());
        });
    }

    /** Our instance token rewritten: the service is no longer provably ours, so it is not written over. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRewrittenInstanceTokenIsAConflict(Transport transport) {
        ServiceRegistration r = registered(manager(transport), new CopyOnWriteArrayList<>());
        StyxTestClient o = other(transport, true);

        o.write(1, TOKEN + " someone-else");

        awaitState(r, RegistrationState.CONFLICT);
        assertThat(r.status().error()).as("names the holder's token").hasMessageContaining("someone-else");
        assertThat(net.registry.services()).singleElement().as("not written over")
                .satisfies(e -> assertThat(e.attributes().get(TOKEN)).contains("someone-else"));
    }
}
