package io.regmgr.runtime.server;

import static io.regmgr.runtime.auth.Vectors.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.auth.AuthFrames;
import io.regmgr.runtime.auth.FrameReader;
import io.regmgr.runtime.auth.Handshake;
import io.regmgr.runtime.auth.KeyFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave before or after authentication, over raw TCP: each one's connection is
 * closed (never a crash, never a hang: a handshake deadline), and the registry keeps serving a
 * well-behaved client.
 */
class AuthMisbehavingClientTest {
    private static final int READ_TIMEOUT_MS = 20_000;
    private final EmbeddedRegistry registry = EmbeddedRegistry.builder()
            .authentication(key("server.rsa"), List.of("sha1", "rc4_256")).authenticationDeadline(Duration.ofSeconds(2))
            .build().start();


    @AfterEach
    void close() {
        registry.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", registry.styxPort());
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    /** Reads until the server closes; returns what it sent. Fails (read timeout) if it never closes. */
    private static String readToClose(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void garbageInsteadOfAFrameIsCutOff() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readToClose(s)).as("the server's version, then the close").startsWith("0001\n1");
        }
        assertStillServes();
    }

    @Test
    void anOversizedFrameIsCutOff() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("0001\n19999\n".getBytes(StandardCharsets.ISO_8859_1));
            readToClose(s);
        }
        assertStillServes();
    }

    @Test
    void aWrongVersionGetsInfernosWords() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("0001\n2".getBytes(StandardCharsets.ISO_8859_1));
            // the server sends its error, waits for ours (as Inferno does) until its deadline, then closes
            assertThat(readToClose(s)).contains("remote: incompatible authentication protocol");
        }
        assertStillServes();
    }

    @Test
    void aSilentClientIsCutOffAtTheDeadline() throws IOException {
        try (Socket s = connect()) {
            assertThat(readToClose(s)).as("only the server's version").isEqualTo("0001\n1");
        }
        assertStillServes();
    }

    @Test
    void aHangupMidwayIsHarmless() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("0001\n1".getBytes(StandardCharsets.ISO_8859_1));
        }
        assertStillServes();
    }

    @Test
    void aGarbageRecordAfterAuthenticationIsCutOff() throws IOException {
        try (Socket s = connect()) {
            authenticate(s, "sha1");
            long before = registry.counters().protocolErrors();
            s.getOutputStream().write(new byte[] {(byte) 0x80, 0x30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42,
                43, 44, 45, 46, 47, 48});
            assertThat(readToClose(s)).as("nothing but the close").isEmpty();
            assertThat(registry.counters().protocolErrors()).as("counted").isEqualTo(before + 1);
        }
        assertStillServes();
    }

    @Test
    void anAlgorithmNotAllowedIsCutOffSilentlyAsListenDoes() throws IOException {
        try (Socket s = connect()) {
            authenticate(s, "md5");
            assertThat(readToClose(s)).as("nothing but the close").isEmpty();
        }
        assertStillServes();
    }

    /** Runs our handshake as alice over a blocking socket, then sends {@code alg}. */
    static void authenticate(Socket s, String alg) throws IOException {
        Handshake h = new Handshake(key("alice.rsa"), new SecureRandom(), () -> System.currentTimeMillis() / 1000);
        OutputStream out = s.getOutputStream();
        for (byte[] f : h.start()) {
            out.write(f);
        }
        FrameReader r = new FrameReader(AuthFrames.MAX_PAYLOAD);
        byte[] buf = new byte[4096];
        Handshake.Step step = null;
        while (step == null || !step.finished()) {
            int n = s.getInputStream().read(buf);
            assertThat(n).as("the server answers the handshake").isPositive();
            r.feed(buf, 0, n);
            for (AuthFrames.Frame f = r.next(); f != null && (step == null || !step.finished()); f = r.next()) {
                step = h.onFrame(f);
                for (byte[] b : step.send()) {
                    out.write(b);
                }
            }
        }
        assertThat(step.result()).as("authenticated").isNotNull();
        out.write(AuthFrames.message(alg));
    }

    private void assertStillServes() throws IOException {
        try (Socket s = connect()) {
            authenticate(s, "sha1");
        }
    }
}
