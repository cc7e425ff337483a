package io.regmgr.runtime.client;

import io.regmgr.Filter;
import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.BridgeClientSupport.SessionEvents;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.regmgr.runtime.client.BridgeClientSupport.WAIT;
import static io.regmgr.runtime.client.BridgeClientSupport.await;
import static io.regmgr.runtime.client.BridgeClientSupport.eventually;
import static io.regmgr.runtime.client.BridgeClientSupport.failure;
import static io.regmgr.runtime.client.BridgeClientSupport.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client against peers that misbehave: each case ends in a typed failure, and the client
 * closes every connection it opened (the scripted servers see none left open).
 */
class BridgeConnectorMisbehaviorTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private final SessionEvents events = new SessionEvents();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // No find connections opened in advance: these check that each find's own connection is closed
    // (BridgeFindPoolTest covers the pool with misbehaving find ports).
    private static BridgeConnector connector(ConnectorOptions.Builder options, int findPort, int eventPort) {
        return NET.bridge(options.bridgePorts(findPort, eventPort).bridgeFindPool(0));
    }

    private static BridgeConnector connector(int newPort, int findPort, int eventPort, Duration requestTimeout) {
        return connector(ConnectorOptions.builder("tcp!127.0.0.1!" + newPort).requestTimeout(requestTimeout),
                findPort, eventPort);
    }

    /** A session whose event port says READY and then nothing; find and new ports as given. */
    private RegistrySession sessionWith(ScriptedServer find, ScriptedServer register, ConnectorOptions.Builder options) {
        ScriptedServer event = NET.server(ScriptedServer.send(ascii("READY\n")));
        return await(connector(options, find.port(), event.port()).connect(events));
    }

    private RegistrySession sessionWith(ScriptedServer find, ScriptedServer register, Duration requestTimeout) {
        return sessionWith(find, register, ConnectorOptions.builder("tcp!127.0.0.1!" + register.port())
                .requestTimeout(requestTimeout));
    }

    /** As above, with a request timeout that only a stalled peer reaches. */
    private RegistrySession sessionWith(ScriptedServer find, ScriptedServer register) {
        return sessionWith(find, register, WAIT);
    }

    private static void assertAllClosed(ScriptedServer server) {
        eventually().untilAsserted(() -> assertThat(server.openConnections())
                .as("connections left open on port " + server.port()).isZero());
        assertThat(server.accepted()).as("connections made to port " + server.port()).isPositive();
    }

    private Throwable connectFailure(ScriptedServer.Behavior eventPort, Duration requestTimeout) {
        ScriptedServer event = NET.server(eventPort);
        Throwable failure = failure(connector(freePort(), freePort(), event.port(), requestTimeout).connect(events));
        assertAllClosed(event);
        assertThat(events.closes()).as("no closed() for a session that never opened").isEmpty();
        return failure;
    }

    @Test
    void eventPortClosingAtOnce() {
        assertThat(connectFailure(ScriptedServer.closeAtOnce(), WAIT)).as("closed before READY")
                .isInstanceOf(RegistryConnectionException.class).hasMessageContaining("before READY");
    }

    @Test
    void eventPortNeverSendingReady() {
        assertThat(connectFailure(ScriptedServer.neverAnswer(), SHORT)).as("no READY")
                .isInstanceOfSatisfying(RegistryTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(SHORT))
                .hasMessageContaining("READY");
    }

    @Test
    void eventPortSendingGarbageInsteadOfReady() {
        assertThat(connectFailure(ScriptedServer.send(ascii("HELLO\n")), WAIT)).as("garbage")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("READY");
    }

    @Test
    void eventPortSendingTooLongALine() {
        assertThat(connectFailure(ScriptedServer.send(ascii("READYREADYREADY")), WAIT)).as("too long")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("READY");
    }

    @Test
    void eventPortSendingReadyThenGarbage() {
        ScriptedServer event = NET.server(ScriptedServer.send(ascii("READY\n00000001\n00000002\nnot a version\n")));
        RegistrySession session = await(connector(freePort(), freePort(), event.port(), WAIT).connect(events));

        eventually().untilAsserted(() -> assertThat(events.closes()).as("closed once").singleElement()
                .isInstanceOf(ProtocolViolationException.class));
        assertThat(events.versions).as("versions before the garbage").containsExactly(1L, 2L);
        assertThat(session.isOpen()).as("session").isFalse();
        assertAllClosed(event);
    }

    @Test
    void eventPortClosingAfterReady() {
        ScriptedServer event = NET.server(s -> {
            s.getOutputStream().write(ascii("READY\n00000007\n"));
            s.getOutputStream().flush();
        });
        await(connector(freePort(), freePort(), event.port(), WAIT).connect(events));

        eventually().untilAsserted(() -> assertThat(events.closes()).as("closed once").singleElement()
                .isInstanceOf(RegistryConnectionException.class));
        assertThat(events.versions).as("version").containsExactly(7L);
    }

    @Test
    void findPortSendingAnEndlessStreamOfLines() {
        ScriptedServer find = NET.server(ScriptedServer.sendForever(ascii("svc attr value\n".repeat(100))));
        ScriptedServer register = NET.server(ScriptedServer.neverAnswer());
        RegistrySession session = sessionWith(find, register, ConnectorOptions.builder("tcp!127.0.0.1!" + register.port())
                .requestTimeout(WAIT).maxAnswerBytes(16 * 1024));

        assertThat(failure(session.find(Filter.all()))).as("endless answer")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.limit()).isEqualTo("answer size"));
        assertAllClosed(find);
    }

    @Test
    void findPortSendingAnEndlessLine() {
        ScriptedServer find = NET.server(ScriptedServer.sendForever(ascii("x".repeat(1000))));
        RegistrySession session = sessionWith(find, NET.server(ScriptedServer.neverAnswer()));

        assertThat(failure(session.find(Filter.all()))).as("endless line")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.limit()).isEqualTo("line length"));
        assertAllClosed(find);
    }

    @Test
    void findPortStalling() {
        ScriptedServer find = NET.server(ScriptedServer.neverAnswer());
        RegistrySession session = sessionWith(find, NET.server(ScriptedServer.neverAnswer()), SHORT);

        assertThat(failure(session.find(Filter.of("a", "b")))).as("stalled find")
                .isInstanceOf(RegistryTimeoutException.class).hasMessageContaining("find Filter[a, b]");
        assertAllClosed(find);
    }

    @Test
    void findPortSendingAMalformedLine() {
        ScriptedServer find = NET.server(ScriptedServer.answerLineAndClose(ascii("svc odd\n")));
        RegistrySession session = sessionWith(find, NET.server(ScriptedServer.neverAnswer()));

        assertThat(failure(session.find(Filter.all()))).as("odd pairs")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("odd attribute/value pairs");
        assertAllClosed(find);
    }

    @Test
    void aFindAnswerWiderThanTheFilterIsFilteredAgain() {
        // a real bridge answers everything to a filter cut by the network (its filter is one read chunk)
        ScriptedServer find = NET.server(ScriptedServer.answerLineAndClose(ascii("a kind x\nb kind y\nc kind x n 1\n")));
        RegistrySession session = sessionWith(find, NET.server(ScriptedServer.neverAnswer()));

        assertThat(await(session.find(Filter.of("kind", "x")))).as("answer to kind x").containsExactly(
                ServiceEntry.of("a", "kind", "x"), ServiceEntry.of("c", "kind", "x", "n", "1"));
    }

    @Test
    void findAnswerWithoutFinalNewline() {
        ScriptedServer find = NET.server(ScriptedServer.answerLineAndClose(ascii("a k v\n\nb k 'two words'")));
        RegistrySession session = sessionWith(find, NET.server(ScriptedServer.neverAnswer()));

        assertThat(await(session.find(Filter.all()))).as("trailing record").containsExactly(
                ServiceEntry.of("a", "k", "v"), ServiceEntry.of("b", "k", "two words"));
    }

    @Test
    void newPortClosingAtOnceIsARefusal() {
        ScriptedServer register = NET.server(ScriptedServer.closeAtOnce());
        RegistrySession session = sessionWith(NET.server(ScriptedServer.answerLineAndClose(new byte[0])), register);

        assertThat(failure(session.register(ServiceEntry.of("s", "k", "v"), RegistrationListener.NONE)))
                .as("refusal").isInstanceOfSatisfying(RegistryErrorException.class, e -> assertThat(e.registryError())
                        .isEqualTo(BridgeRegistration.REFUSED));
        assertAllClosed(register);
    }

    @Test
    void newPortWritingBackIsAViolation() {
        ScriptedServer register = NET.server(ScriptedServer.send(ascii("OK\n")));
        RegistrySession session = sessionWith(NET.server(ScriptedServer.neverAnswer()), register);

        assertThat(failure(session.register(ServiceEntry.of("s", "k", "v"), RegistrationListener.NONE)))
                .as("bytes on the new port").isInstanceOf(ProtocolViolationException.class)
                .hasMessageContaining("never writes");
        assertAllClosed(register);
    }

    @Test
    void registrationNeverVisibleTimesOut() {
        ScriptedServer register = NET.server(ScriptedServer.neverAnswer());
        ScriptedServer find = NET.server(ScriptedServer.answerLineAndClose(new byte[0]));
        RegistrySession session = sessionWith(find, register, SHORT);

        assertThat(failure(session.register(ServiceEntry.of("s", "k", "v"), RegistrationListener.NONE)))
                .as("never confirmed").isInstanceOf(RegistryTimeoutException.class).hasMessageContaining("did not appear");
        assertAllClosed(register);
        assertAllClosed(find);
        assertThat(find.accepted()).as("polled more than once").isGreaterThan(1);
    }

    @Test
    void probeFailingOnAStalledFindPortEndsTheSession() {
        ScriptedServer event = NET.server(ScriptedServer.send(ascii("READY\n")));
        ScriptedServer find = NET.server(ScriptedServer.neverAnswer());
        RegistrySession session = await(connector(ConnectorOptions.builder("tcp!127.0.0.1!" + freePort())
                .requestTimeout(WAIT).probe(Duration.ofMillis(50), Duration.ofMillis(100)), find.port(), event.port())
                .connect(events));

        eventually().untilAsserted(() -> assertThat(events.closes()).as("closed by the probe").singleElement()
                .isInstanceOf(RegistryTimeoutException.class));
        assertThat(events.closes().get(0)).as("message").hasMessageContaining("liveness probe");
        assertThat(session.isOpen()).as("session").isFalse();
        assertAllClosed(find);
        assertAllClosed(event);
    }

    @Test
    void probeRefusedEndsTheSessionWithTheCause() {
        ScriptedServer event = NET.server(ScriptedServer.send(ascii("READY\n")));
        int closedFind = freePort();
        await(connector(ConnectorOptions.builder("tcp!127.0.0.1!" + freePort())
                .probe(Duration.ofMillis(50), Duration.ofMillis(500)), closedFind, event.port()).connect(events));

        eventually().untilAsserted(() -> assertThat(events.closes()).as("closed by the probe")
                .singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(RegistryTimeoutException.class)
                .hasCauseInstanceOf(RegistryConnectionException.class));
        assertAllClosed(event);
    }
}
