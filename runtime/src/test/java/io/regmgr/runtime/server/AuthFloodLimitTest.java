package io.regmgr.runtime.server;

import static io.regmgr.runtime.auth.Vectors.key;
import static io.regmgr.runtime.server.AuthMisbehavingClientTest.authenticate;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.auth.link.HandshakeDriver;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rattach;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Unauthenticated peers that flood the handshake: each connection is cut after
 * {@link HandshakeDriver#MAX_FRAMES} frames (long before the deadline, set to a minute here), and an
 * authenticated client keeps being served meanwhile. Counts, not timings.
 */
class AuthFloodLimitTest {
    private static final int READ_TIMEOUT_MS = 20_000;
    private static final byte[] WRONG_VERSION = "0001\n2".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] FRAME = frame();

    private final EmbeddedRegistry registry = EmbeddedRegistry.builder()
            .authentication(key("server.rsa"), List.of("sha1", "none")).authenticationDeadline(Duration.ofSeconds(60))
            .build().start();

    @AfterEach
    void close() {
        registry.close();
    }

    /** A valid frame that is neither OK nor an error: 4094 bytes of 'x'. */
    private static byte[] frame() {
        byte[] f = new byte[5 + 4094];
        System.arraycopy("4094\n".getBytes(StandardCharsets.ISO_8859_1), 0, f, 0, 5);
        Arrays.fill(f, 5, f.length, (byte) 'x');
        return f;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", registry.styxPort());
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    @Test
    void theDrainPhaseIsCutOffAfterTheFrameLimit() throws IOException {
        try (Socket s = connect()) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            flood.write(WRONG_VERSION);
            for (int i = 1; i < HandshakeDriver.MAX_FRAMES + 1; i++) {
                flood.write(FRAME);
            }
            s.getOutputStream().write(flood.toByteArray());
            // closed within the read timeout, although the deadline is a minute: the frame limit did it
            String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(got).startsWith("0001\n1").contains("remote: incompatible authentication protocol");
        }
    }

    @Test
    void anEndlessFlooderIsCutOffAfterBoundedBytes() throws Exception {
        try (Socket s = connect()) {
            AtomicLong sent = new AtomicLong();
            AtomicBoolean stopped = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream o = s.getOutputStream();
                    o.write(WRONG_VERSION);
                    byte[] burst = burst();
                    while (sent.get() < 1L << 30) {
                        o.write(burst);
                        sent.addAndGet(burst.length);
                    }
                } catch (IOException e) {
                    stopped.set(true);
                }
            });
            writer.setDaemon(true);
            writer.start();
            s.getInputStream().readAllBytes();
            writer.join(READ_TIMEOUT_MS);
            assertThat(stopped).as("the server closed the flooder's connection").isTrue();
            // what the server read is at most MAX_FRAMES frames; the rest filled the kernel's buffers
            assertThat(sent.get()).as("bytes written before the close").isLessThan(64L << 20);
        }
    }

    @Test
    void anAuthenticatedClientIsServedDuringAFlood() throws Exception {
        try (Socket good = connect()) {
            authenticate(good, "none");
            StyxTestClient styx = StyxTestClient.over(good);
            styx.rpc(new Tversion(StyxMessage.NOTAG, StyxTestClient.DEFAULT_MSIZE, "9P2000"));
            assertThat(styx.rpc(new Tattach(styx.nextTag(), 0, StyxMessage.NOFID, "x", ""))).isInstanceOf(Rattach.class);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger cut = new AtomicInteger();
            List<Thread> flooders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Thread t = new Thread(() -> {
                    byte[] burst = burst();
                    while (!stop.get()) {
                        try (Socket x = connect()) {
                            OutputStream o = x.getOutputStream();
                            o.write(WRONG_VERSION);
                            while (!stop.get()) {
                                o.write(burst);
                            }
                        } catch (IOException e) {
                            cut.incrementAndGet();
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                flooders.add(t);
            }
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> cut.get() >= 2);
                AtomicInteger served = new AtomicInteger();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1)).until(() -> {
                            assertThat(styx.rpc(new Tstat(styx.nextTag(), 0))).isInstanceOf(Rstat.class);
                            return served.incrementAndGet() >= 20;
                        });
                try (Socket late = connect()) {
                    authenticate(late, "sha1");
                }
            } finally {
                stop.set(true);
                for (Thread t : flooders) {
                    t.join(READ_TIMEOUT_MS);
                }
            }
        }
    }

    private static byte[] burst() {
        byte[] b = new byte[FRAME.length * 16];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(FRAME, 0, b, i * FRAME.length, FRAME.length);
        }
        return b;
    }
}
