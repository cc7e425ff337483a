package io.regmgr.runtime.cdi;

import io.regmgr.RegistrationState;
import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.ServiceAdded;
import io.regmgr.cdi.ServiceChange;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.runtime.server.StyxTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The framework-free runtime that every kind of extension drives: no container here. */
class RegistryRuntimeTest {
    private final EmbeddedRegistry registry = CdiTesting.startRegistry();
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final EventSink sink = new EventSink() {
        @Override
        public void serviceChanged(ServiceChange change) {
            events.add(change);
        }

        @Override
        public void connected(RegistryConnected event) {
            events.add(event);
        }

        @Override
        public void disconnected(RegistryDisconnected event) {
            events.add(event);
        }
    };

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void runsTheModelAndClosesInOrder() {
        DeclarationModel model = new DeclarationModel(k -> Optional.empty());
        assertThat(model.declareService("T", "me", "tcp!me!1", new String[] {"kind=me"})).isEmpty();
        assertThat(model.declareMonitor("T", "mine", new String[] {"kind=me"})).isEmpty();
        List<String> problems = new ArrayList<>();
        Settings settings = Settings.read(CdiTesting.mpConfig(CdiTesting.config(registry)), problems);
        assertThat(problems).as("settings problems").isEmpty();

        RegistryRuntime runtime = RegistryRuntime.start(settings, model, sink, "runtime-test");
        await().atMost(CdiTesting.WAIT).until(() -> runtime.readiness().up());
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(events).as("events handed to the sink").hasSize(2)
                .hasAtLeastOneElementOfType(RegistryConnected.class).hasAtLeastOneElementOfType(ServiceAdded.class));
        assertThat(runtime.liveness().up()).as("liveness while running").isTrue();
        assertThatThrownBy(() -> runtime.registration("nope")).hasMessage("no service with id 'nope' is declared (declared: [me])");

        runtime.close();
        assertThat(runtime.registration("me").status().state()).as("registration after close").isEqualTo(RegistrationState.DETACHED);
        assertThat(runtime.liveness().up()).as("liveness after close").isFalse();
        assertThat(runtime.readiness().data()).containsEntry("connection", "CLOSED");
        assertThat(events).as("no disconnection event for a close").noneMatch(e -> e instanceof RegistryDisconnected);
        runtime.close();
    }

    /** Issue 13: a service removed behind the manager's back turns readiness DOWN until it is back; a conflict is named. */
    @Test
    void readinessFollowsARemovalByAnotherClientAndReportsAConflict() {
        DeclarationModel model = new DeclarationModel(k -> Optional.empty());
        assertThat(model.declareService("T", "self", "tcp!10.0.0.5!8081", new String[] {"kind=me"})).isEmpty();
        Settings settings = Settings.read(CdiTesting.mpConfig(CdiTesting.config(registry)), new ArrayList<>());
        RegistryRuntime runtime = RegistryRuntime.start(settings, model, sink, "runtime-repair");
        List<RegistrationState> states = new CopyOnWriteArrayList<>();
        runtime.registration("self").onStatus(st -> states.add(st.state()));
        try (StyxTestClient other = StyxTestClient.connect(registry.styxPort())) {
            await().atMost(CdiTesting.WAIT).until(() -> runtime.readiness().up());
            other.version(StyxTestClient.DEFAULT_MSIZE);
            other.attach(0, System.getProperty("user.name")); // behind export every client is the owner
            other.walk(0, 1, "tcp!10.0.0.5!8081");

            other.rpc(new StyxMessage.Tremove(other.nextTag(), 1));

            // readiness is DOWN whenever the state is not REGISTERED: the window is too short to poll
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
                assertThat(states).as("not registered, then registered again")
                        .containsSubsequence(RegistrationState.RETRYING, RegistrationState.REGISTERED);
                assertThat(registry.services()).as("registered again").hasSize(1);
                assertThat(runtime.readiness().up()).as("readiness back UP").isTrue();
            });

            other.walk(0, 2, "tcp!10.0.0.5!8081");
            other.open(2, StyxMessage.OWRITE);
            other.write(2, "regmgr-instance someone-else");

            await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(runtime.readiness().data())
                    .as("readiness data").containsEntry("services-in-conflict", "self (tcp!10.0.0.5!8081)")
                    .containsEntry("services", "0/1 registered"));
            assertThat(runtime.readiness().up()).as("readiness in conflict").isFalse();
        } finally {
            runtime.close();
        }
    }

    @Test
    void anEmbeddedExportedRegistryWithALargeMsizeIsAdaptedToAndReadinessSaysSo() {
        DeclarationModel model = new DeclarationModel(k -> Optional.empty());
        assertThat(model.declareService("T", "me", "tcp!me!1", new String[] {"kind=me"})).isEmpty();
        List<String> problems = new ArrayList<>();
        Settings settings = Settings.read(CdiTesting.mpConfig(CdiTesting.config(registry,
                RegMgrConfig.EMBEDDED_ENABLED, "true", RegMgrConfig.EMBEDDED_STYX, "tcp!127.0.0.1!0",
                RegMgrConfig.EMBEDDED_PROFILE, "Exported", RegMgrConfig.MSIZE, "65560")), problems);
        assertThat(problems).as("settings problems").isEmpty();

        try (RegistryRuntime runtime = RegistryRuntime.start(settings, model, sink, "runtime-test")) {
            assertThat(runtime.embedded()).as("embedded registry").get()
                    .satisfies(r -> assertThat(r.profile()).isEqualTo(RegistryProfile.EXPORTED));
            await().atMost(CdiTesting.WAIT).until(() -> runtime.readiness().up());
            assertThat(runtime.readiness().data()).as("readiness data")
                    .hasEntrySatisfying("registry", r -> assertThat((String) r).endsWith("(9P2000, embedded, exported profile)"))
                    .containsEntry("registry-adapted",
                            "msize 8216, lowered from 65560 after the registry answered 'stat buffer too small'");
        }
    }

    @Test
    void anUnknownProfileOrATooSmallMsizeIsASettingsProblemNamingTheRule() {
        List<String> problems = new ArrayList<>();
        Settings.read(CdiTesting.mpConfig(CdiTesting.config(registry, RegMgrConfig.EMBEDDED_PROFILE, "real",
                RegMgrConfig.MSIZE, "100")), problems);
        assertThat(problems).as("problems").containsExactlyInAnyOrder(
                "Invalid regmgr.embedded.profile: profile 'real' is not one of default, exported, direct",
                "Invalid regmgr.msize '100': an msize is a whole number of bytes, at least 256");
    }

    @Test
    void theRegistrationSpareIsOnByDefaultAndTurnedOffByItsKeyAndABadValueNamesTheRule() {
        List<String> problems = new ArrayList<>();
        Settings byDefault = Settings.read(CdiTesting.mpConfig(CdiTesting.config(registry)), problems);
        Settings off = Settings.read(CdiTesting.mpConfig(CdiTesting.config(registry,
                RegMgrConfig.REGISTRATION_SPARE, "false")), problems);
        assertThat(problems).as("settings problems").isEmpty();
        assertThat(byDefault.connectorOptions(null).spareNewFid()).as("default").isTrue();
        assertThat(off.connectorOptions(null).spareNewFid()).as(RegMgrConfig.REGISTRATION_SPARE + "=false").isFalse();

        Settings.read(CdiTesting.mpConfig(CdiTesting.config(registry, RegMgrConfig.REGISTRATION_SPARE, "maybe")),
                problems);
        assertThat(problems).as("problems").containsExactly(
                "Invalid regmgr.registration.spare 'maybe': must be true or false");
    }
}
