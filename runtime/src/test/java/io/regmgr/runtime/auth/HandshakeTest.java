package io.regmgr.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Two of our handshakes against each other in memory, byte for byte as on a socket. */
class HandshakeTest {
    /** The outcome of both sides. */
    record Outcome(Handshake.Step client, Handshake.Step server) {
    }

    /** Runs both sides to the end, passing each frame through a frame reader. */
    static Outcome run(KeyFile clientKey, KeyFile serverKey, long now) {
        Handshake c = new Handshake(clientKey, new SecureRandom(), () -> now);
        Handshake s = new Handshake(serverKey, new SecureRandom(), () -> now);
        Deque<byte[]> toServer = new ArrayDeque<>(c.start());
        Deque<byte[]> toClient = new ArrayDeque<>(s.start());
        FrameReader cr = new FrameReader(AuthFrames.MAX_PAYLOAD);
        FrameReader sr = new FrameReader(AuthFrames.MAX_PAYLOAD);
        Handshake.Step cEnd = null;
        Handshake.Step sEnd = null;
        while (cEnd == null || sEnd == null) {
            if (toServer.isEmpty() && toClient.isEmpty()) {
                // nothing more in flight: each unfinished side sees the other hang up
                cEnd = cEnd != null ? cEnd : c.onEnd(false);
                sEnd = sEnd != null ? sEnd : s.onEnd(false);
                break;
            }
            if (sEnd == null) {
                sEnd = deliver(toServer, sr, s, toClient);
            } else {
                toServer.clear();
            }
            if (cEnd == null) {
                cEnd = deliver(toClient, cr, c, toServer);
            } else {
                toClient.clear();
            }
        }
        return new Outcome(cEnd, sEnd);
    }

    private static Handshake.Step deliver(Deque<byte[]> in, FrameReader r, Handshake h, Deque<byte[]> out) {
        while (!in.isEmpty()) {
            byte[] b = in.poll();
            r.feed(b, 0, b.length);
            for (AuthFrames.Frame f = r.next(); f != null; f = r.next()) {
                Handshake.Step step = h.onFrame(f);
                out.addAll(step.send());
                if (step.finished()) {
                    return step;
                }
            }
        }
        return null;
    }

    @Test
    void rsaAndElgamalAuthenticateBothWaysWithOneSecret() {
        for (String alg : List.of("rsa", "elgamal")) {
            Outcome o = run(Vectors.key("alice." + alg), Vectors.key("server." + alg), Vectors.RECORDED_NOW);
            assertThat(o.client().result().peerName()).as("%s: client sees", alg).isEqualTo("server");
            assertThat(o.server().result().peerName()).as("%s: server sees", alg).isEqualTo("alice");
            assertThat(o.client().result().secret()).as("%s: one secret", alg).isEqualTo(o.server().result().secret());
            assertThat(o.client().result().secret().length).isBetween(100, 128);
            String hex = java.util.HexFormat.of().formatHex(o.client().result().secret());
            assertThat(o.client().result() + " " + o.client() + " " + o.server()).as("no DH secret in toString")
                    .doesNotContain(hex).doesNotContain(java.util.Base64.getEncoder()
                            .encodeToString(o.client().result().secret()));
        }
    }

    @Test
    void otherSignerFailsOnBothSidesAsInInferno() {
        // another signer's file has other DH parameters: a side whose p is below the peer's alpha
        // refuses that first (chance), but at least one side always reaches the certificate check
        Outcome o = run(Vectors.key("alice-othersigner.rsa"), Vectors.key("server.rsa"), Vectors.RECORDED_NOW);
        List<String> reasons = List.of(o.client().failure().reason(), o.server().failure().reason());
        assertThat(reasons).allSatisfy(r -> assertThat(r).isIn("pk doesn't match certificate",
                "implausible parameter value")).contains("pk doesn't match certificate");
    }

    @Test
    void anExpiredClientIsToldRemotely() {
        Outcome o = run(Vectors.key("alice-expired.rsa"), Vectors.key("server.rsa"), Vectors.RECORDED_NOW);
        assertThat(o.server().failure().reason()).isEqualTo("certificate expired");
        assertThat(o.client().failure().reason()).isEqualTo("remote: certificate expired");
        assertThat(o.client().failure().fromPeer()).isTrue();
    }

    @Test
    void mixedSignatureAlgorithmsDoNotMatch() {
        Outcome o = run(Vectors.key("alice.elgamal"), Vectors.key("server.rsa"), Vectors.RECORDED_NOW);
        assertThat(o.server().failure().reason()).isIn("pk doesn't match certificate", "implausible parameter value");
        assertThat(o.client().failure()).isNotNull();
    }

    @Test
    void aPeersLongErrorIsKeptWhole() {
        Handshake s = new Handshake(Vectors.key("server.rsa"), new SecureRandom(), () -> 0);
        s.start();
        String words = "remote: alpha**r1 doesn't match certificate";
        Handshake.Step step = s.onFrame(new AuthFrames.Frame(true, words.getBytes()));
        assertThat(step.failure().reason()).isEqualTo(words);
        assertThat(new String(step.send().get(0))).isEqualTo("!040\nremote: missing your authentication data");
    }

    @Test
    void aHangupMidwayIsHungup() {
        Handshake s = new Handshake(Vectors.key("server.rsa"), new SecureRandom(), () -> 0);
        s.start();
        s.onFrame(new AuthFrames.Frame(false, "1".getBytes()));
        assertThat(s.onEnd(false).failure().reason()).isEqualTo("hungup");
        Handshake t = new Handshake(Vectors.key("server.rsa"), new SecureRandom(), () -> 0);
        t.start();
        assertThat(t.onEnd(true).failure().reason()).isEqualTo("input or format error");
    }

    @Test
    void implausibleAlphasAreRefused() {
        for (String alpha : List.of("AA==", "AQ==", BigText.encode(Vectors.key("server.rsa").modulus()))) {
            Handshake s = new Handshake(Vectors.key("server.rsa"), new SecureRandom(), () -> 0);
            s.start();
            s.onFrame(new AuthFrames.Frame(false, "1".getBytes()));
            Handshake.Step step = s.onFrame(new AuthFrames.Frame(false, alpha.getBytes()));
            assertThat(new String(step.send().get(0))).as("alpha %s", alpha)
                    .isEqualTo("!035\nremote: implausible parameter value");
        }
    }
}
