package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rattach;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** The 9P client against servers that misbehave before the session is up: each a typed failure, no socket left. */
class StyxClientFaultTest {
    static final Duration TIMEOUT = Duration.ofMillis(300);
    /** size[4] Tversion tag[2] msize[4] version[s] with "9P2000". */
    private static final int TVERSION_BYTES = 4 + 1 + 2 + 4 + 2 + 6;
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private ScriptedServer server;

    /** @return options for a connector to a scripted server on {@code port}, with quick timeouts */
    static ConnectorOptions.Builder options(int port) {
        return ConnectorOptions.builder("tcp!127.0.0.1!" + port).user("tester")
                .msize(FakeRegistry.MSIZE).requestTimeout(TIMEOUT).connectTimeout(Duration.ofSeconds(2));
    }

    private Throwable connectFailure(ScriptedServer.Behavior behavior) {
        server = NET.server(behavior);
        Throwable failure = failure(NET.styx(options(server.port())).connect(new RecordingListener()));
        awaiting().untilAsserted(() -> assertThat(server.openConnections())
                .as("sockets left open by the client").isZero());
        assertThat(server.accepted()).as("connections made").isEqualTo(1);
        return failure;
    }

    private static byte[] frame(StyxMessage m) {
        return StyxCodec.encode(m);
    }

    @Test
    void aServerThatClosesAtOnceFailsTheConnectionNamingTheAddress() {
        Throwable failure = connectFailure(ScriptedServer.closeAtOnce());

        assertThat(failure).as("failure").isInstanceOf(RegistryConnectionException.class)
                .hasMessageContaining("tcp!127.0.0.1!" + server.port());
        assertThat(((RegistryConnectionException) failure).address()).as("address")
                .isEqualTo("tcp!127.0.0.1!" + server.port());
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheRequestTimeout() {
        long start = System.nanoTime();

        Throwable failure = connectFailure(ScriptedServer.neverAnswer());

        assertThat(failure).as("failure").isInstanceOf(RegistryTimeoutException.class)
                .hasMessageContaining("Tversion");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail")
                .isGreaterThanOrEqualTo(TIMEOUT).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void garbageIsAProtocolViolation() {
        byte[] http = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, http))).as("http answer")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("tcp!127.0.0.1!");
    }

    @Test
    void aFrameOfAnUnknownTypeIsAProtocolViolation() {
        byte[] bad = {7, 0, 0, 0, (byte) 200, (byte) 0xff, (byte) 0xff};

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, bad))).as("type 200")
                .isInstanceOf(ProtocolViolationException.class);
    }

    @Test
    void aFrameLargerThanMsizeIsAProtocolViolation() {
        byte[] huge = {(byte) 0xa0, (byte) 0x86, 0x01, 0x00, 101, (byte) 0xff, (byte) 0xff};

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, huge))).as("100000-byte frame")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("100000")
                .hasMessageContaining(Integer.toString(FakeRegistry.MSIZE));
    }

    @Test
    void aReplyWithAnUnknownTagIsAProtocolViolation() {
        byte[] reply = frame(new Rversion(5, 8216, "9P2000"));

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, reply))).as("tag 5")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("tag 5");
    }

    @Test
    void aReplyOfTheWrongTypeIsAProtocolViolation() {
        byte[] reply = frame(new Rattach(NOTAG, new Qid(0x80, 0, 0)));

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, reply))).as("Rattach for Tversion")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("answers Tversion");
    }

    @Test
    void aTMessageFromTheServerIsAProtocolViolation() {
        byte[] reply = frame(new Tversion(NOTAG, 8216, "9P2000"));

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, reply))).as("Tversion from the server")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("T-message");
    }

    @Test
    void anUnknownVersionIsAProtocolViolation() {
        byte[] reply = frame(new Rversion(NOTAG, 8216, "unknown"));

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, reply))).as("unknown version")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("'unknown'");
    }

    @Test
    void aServerThatStallsMidFrameTimesOut() {
        byte[] half = Arrays.copyOf(frame(new Rversion(NOTAG, 8216, "9P2000")), 9);

        assertThat(connectFailure(ScriptedServer.answer(TVERSION_BYTES, half))).as("half an Rversion")
                .isInstanceOf(RegistryTimeoutException.class);
    }

    @Test
    void aRefusedAttachFailsTheConnection() {
        Throwable failure = connectFailure(ScriptedServer.styx(FakeRegistry.fromStart((m, out, r) -> {
            if (m instanceof StyxMessage.Tattach a) {
                out.reply(new StyxMessage.Rerror(a.tag(), "authentication required"));
                return true;
            }
            return false;
        })));

        assertThat(failure).as("failure").isInstanceOf(RegistryConnectionException.class)
                .hasMessageContaining("authentication required");
    }
}
