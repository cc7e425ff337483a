package io.regmgr.runtime.client;

import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default msize against every registry profile, and what a size refusal does: the old default
 * (65560) cannot get a session from an exported registry, the connector lowers it once, and a
 * refusal that lowering cannot cure is reported naming the cause and the option.
 */
class StyxConnectorMsizeTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();

    private static ConnectorOptions.Builder options(EmbeddedRegistry registry) {
        return ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort());
    }

    /** @return a 9P server that answers every Tstat {@code stat buffer too small}, at any msize */
    private static ScriptedServer refusingEveryStat() {
        return NET.server(ScriptedServer.styx(FakeRegistry.fromStart((m, out, r) -> {
            if (m instanceof Tstat) {
                out.reply(new Rerror(m.tag(), "stat buffer too small"));
                return true;
            }
            return false;
        })));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void theDefaultOptionsWorkOnEveryProfileAtTheFirstAttempt(RegistryProfile profile) {
        EmbeddedRegistry registry = NET.registry(b -> b.profile(profile));
        StyxConnector connector = NET.styx(options(registry));

        RegistrySession session = join(connector.connect(new RecordingListener()));
        join(session.register(ServiceEntry.of("svc", "k", "v"), RegistrationListener.NONE));

        assertThat(ConnectorOptions.DEFAULT_MSIZE).as("default msize").isEqualTo(8216);
        assertThat(join(session.index())).as("%s: index", profile).containsExactly(ServiceEntry.of("svc", "k", "v"));
        assertThat(registry.counters().requests(StyxMessage.TVERSION)).as("%s: Tversions", profile).isEqualTo(1);
        assertThat(connector.describe()).as("%s: describe", profile).isEqualTo("9P2000 tcp!127.0.0.1!" + registry.styxPort());
    }

    @Test
    void theOldDefaultMsizeCannotGetASessionFromAnExportedRegistry() {
        EmbeddedRegistry registry = NET.registry(b -> b.profile(RegistryProfile.EXPORTED));
        NetClient net = NET.vertx().createNetClient();
        NET.closeAfter(() -> join(net.close().toCompletionStage()));

        Throwable refused = failure(StyxClient.connect(NET.vertx(), net, options(registry).msize(65560).build())
                .compose(client -> Future.fromCompletionStage(client.run(() -> StyxRegistrySession.open(client,
                        new RecordingListener(), s -> { }).onFailure(e -> client.close()))))
                .toCompletionStage());

        assertThat(refused).as("a session at msize 65560").isInstanceOf(RegistryErrorException.class);
        assertThat(((RegistryErrorException) refused).registryError()).as("the registry's words")
                .isEqualTo("stat buffer too small");
    }

    @Test
    void aSizeRefusalLowersTheMsizeOnceAndTheConnectorSaysSo() {
        EmbeddedRegistry registry = NET.registry(b -> b.profile(RegistryProfile.EXPORTED));
        StyxConnector connector = NET.styx(options(registry).msize(65560));

        RegistrySession first = join(connector.connect(new RecordingListener()));
        join(first.register(ServiceEntry.of("svc"), RegistrationListener.NONE));
        join(connector.connect(new RecordingListener()));

        assertThat(registry.counters().requests(StyxMessage.TVERSION)).as("Tversions: 65560 refused, 8216, 8216 again")
                .isEqualTo(3);
        assertThat(registry.counters().requests(StyxMessage.TSTAT)).as("Tstats of the root: one refused").isEqualTo(3);
        assertThat(connector.describe()).as("describe").isEqualTo("9P2000 tcp!127.0.0.1!" + registry.styxPort()
                + " (msize 8216, lowered from 65560 after the registry answered 'stat buffer too small')");
        assertThat(registry.services()).as("registered after the lowering").containsExactly(ServiceEntry.of("svc"));
    }

    @ParameterizedTest
    @ValueSource(ints = {ConnectorOptions.DEFAULT_MSIZE, 65560})
    void aRegistryThatRefusesEveryStatFailsTheConnectNamingTheCauseAndTheOption(int msize) {
        ScriptedServer server = refusingEveryStat();
        StyxConnector connector = NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + server.port()).msize(msize));

        Throwable failure = failure(connector.connect(new RecordingListener()));

        assertThat(failure).as("asking msize %s", msize).isInstanceOf(RegistryConnectionException.class)
                .hasMessageContaining("answered 'stat buffer too small' at msize 8216")
                .hasMessageContaining("set ConnectorOptions msize lower");
        assertThat(server.accepted()).as("connections: one more only if the msize could be lowered")
                .isEqualTo(msize > ConnectorOptions.DEFAULT_MSIZE ? 2 : 1);
    }

    @Test
    void theManagersStatusSaysWhyItCannotConnect() {
        ScriptedServer server = refusingEveryStat();
        try (RegistryManager manager = RegistryManagers.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + server.port())
                .vertx(NET.vertx()).build(), ManagerOptions.builder().vertx(NET.vertx()).build())) {
            manager.register(ServiceEntry.of("svc"));

            awaiting().untilAsserted(() -> assertThat(manager.status().lastError()).as("status cause")
                    .get().extracting(Throwable::getMessage).asString()
                    .contains("answered 'stat buffer too small' at msize 8216", "set ConnectorOptions msize lower"));
            assertThat(manager.status().isConnected()).as("connected").isFalse();
        }
    }

    @Test
    void aSizeRefusalAtTheDefaultMsizeIsReportedNamingTheCauseAndTheOption() {
        MsizeFallback fallback = new MsizeFallback(ConnectorOptions.DEFAULT_MSIZE);
        Throwable refusal = new RegistryConnectionException("tcp!reg!6675", "the registry refused the session",
                new RegistryErrorException("stat of the root of tcp!reg!6675", "stat buffer too small"));

        assertThat(fallback.lowerFor(refusal, "tcp!reg!6675")).as("lowered below the default").isFalse();
        assertThat(fallback.explain(refusal, "tcp!reg!6675")).as("explained")
                .isInstanceOf(RegistryConnectionException.class).hasCause(refusal)
                .hasMessageContaining("'stat buffer too small' at msize 8216")
                .hasMessageContaining("set ConnectorOptions msize lower");
        Throwable other = new RegistryConnectionException("tcp!reg!6675", "connection refused", null);
        assertThat(fallback.explain(other, "tcp!reg!6675")).as("any other failure").isSameAs(other);
        assertThat(fallback.lowerFor(other, "tcp!reg!6675")).as("lowered for any other failure").isFalse();
    }

    @Test
    void countTooBigIsASizeRefusalToo() {
        MsizeFallback fallback = new MsizeFallback(65560);
        Throwable refusal = new RegistryErrorException("read of index", "read/write -- count too big");

        assertThat(fallback.lowerFor(refusal, "tcp!reg!6675")).as("lowered").isTrue();
        assertThat(fallback.current()).as("msize now").isEqualTo(8216);
        assertThat(fallback.lowerFor(refusal, "tcp!reg!6675")).as("lowered twice").isFalse();
    }
}
