package io.regmgr.runtime.client;

import io.regmgr.runtime.auth.Vectors;
import static io.regmgr.runtime.client.Stages.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.RegistryAuthenticationException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An authenticating client against servers that misbehave during the handshake: each connect
 * fails with a {@link RegistryAuthenticationException} in Inferno's words, never hangs.
 */
class AuthMisbehavingServerTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();

    private String reasonAgainst(ScriptedServer.Behavior behavior) {
        ScriptedServer server = NET.server(behavior);
        Throwable f = failure(NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + server.port())
                .requestTimeout(Duration.ofSeconds(5))
                .authentication(Vectors.key("alice.rsa"), "sha1")).connect(new RecordingListener()));
        assertThat(f).isInstanceOf(RegistryAuthenticationException.class);
        return ((RegistryAuthenticationException) f).reason();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code bytes} in one segment, reads the client's version (so that closing sends no reset), closes. */
    private static ScriptedServer.Behavior writeAndClose(String bytes) {
        return s -> {
            s.getOutputStream().write(ascii(bytes));
            s.getInputStream().readNBytes(6);
            s.close();
        };
    }

    @Test
    void aServerThatClosesAtOnceHungUp() {
        assertThat(reasonAgainst(ScriptedServer.closeAtOnce())).isEqualTo("hungup");
    }

    @Test
    void garbageIsAFormatError() {
        assertThat(reasonAgainst(ScriptedServer.send(ascii("SSH-2.0-OpenSSH_9.6\r\n")))).isEqualTo("input or format error");
    }

    @Test
    void anOversizedFrameIsRefusedAsInferno() {
        assertThat(reasonAgainst(ScriptedServer.send(ascii("0001\n19999\n")))).isEqualTo("hungup");
    }

    @Test
    void aWrongVersionIsIncompatible() {
        // as Inferno, the client sends its error and reads on until the peer's error, OK or close
        assertThat(reasonAgainst(writeAndClose("0001\n2"))).isEqualTo("incompatible authentication protocol");
    }

    @Test
    void aCutFrameIsAFormatError() {
        assertThat(reasonAgainst(writeAndClose("0001\n10172\nAAAA"))).isEqualTo("input or format error");
    }

    @Test
    void aServerErrorIsReportedInItsOwnWords() {
        assertThat(reasonAgainst(ScriptedServer.send(ascii("0001\n1!028\nremote: unknown signer 'bob'"))))
                .isEqualTo("remote: unknown signer 'bob'");
    }
}
