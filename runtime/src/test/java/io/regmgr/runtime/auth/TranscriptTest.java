package io.regmgr.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests over the real bytes of Inferno's handshakes: every certificate and alpha signature
 * verifies, every record with a known secret decrypts, passes its digest and carries whole 9P
 * messages; every failing recording fails at the check Inferno failed, with Inferno's words.
 */
class TranscriptTest {
    private static final int CLIENT_FRAMES = 7;
    private static final int SERVER_FRAMES = 6;

    static Iterable<String> successful() {
        return Vectors.successful();
    }

    @ParameterizedTest
    @MethodSource("successful")
    void certificatesAndAlphaSignaturesVerify(String name) {
        JsonObject c = Vectors.caseOf(name);
        KeyFile client = Vectors.key(c.getString("client_key"));
        KeyFile server = Vectors.key(c.getString("server_key"));
        Vectors.Stream c2s = Vectors.stream(name, "c2s", CLIENT_FRAMES);
        Vectors.Stream s2c = Vectors.stream(name, "s2c", SERVER_FRAMES);
        assertThat(c2s.frame(0).text()).isEqualTo("1");
        verifySide(name + " client", c2s, s2c, server.signer());
        verifySide(name + " server", s2c, c2s, client.signer());
        PublicKey clientKey = PublicKey.parse(c2s.frame(3).text());
        assertThat(clientKey.owner()).as("who the client is").isEqualTo(client.owner());
        assertThat(c2s.frame(5).isOk() && s2c.frame(5).isOk()).as("both said OK").isTrue();
        assertThat(c2s.frame(6).text()).as("algorithm frame").isEqualTo(c.getString("alg"));
        if (c.getString("r0") != null) {
            BigInteger r0 = new BigInteger(c.getString("r0"), 16);
            assertThat(client.alpha().modPow(r0, client.modulus())).isEqualTo(alpha(c2s));
            assertThat(BigText.unsignedBytes(alpha(s2c).modPow(r0, client.modulus())))
                    .isEqualTo(Vectors.hex(c.getString("secret")));
        }
    }

    private static BigInteger alpha(Vectors.Stream s) {
        return BigText.decode(s.frame(1).text(), "alpha");
    }

    private static void verifySide(String who, Vectors.Stream mine, Vectors.Stream peer, PublicKey verifierSigner) {
        Certificate cert = Certificate.parse(mine.frame(2).text());
        assertThat(cert.verifies(verifierSigner, mine.frame(3).payload())).as("%s key certificate", who).isTrue();
        assertThat(BigText.encode(alpha(mine))).as("%s alpha is canonical", who).isEqualTo(mine.frame(1).text());
        PublicKey pk = PublicKey.parse(mine.frame(3).text());
        assertThat(pk.text()).as("%s public key re-encodes", who).isEqualTo(mine.frame(3).text());
        byte[] signed = (mine.frame(1).text() + peer.frame(1).text()).getBytes(StandardCharsets.ISO_8859_1);
        Certificate sig = Certificate.parse(mine.frame(4).text());
        assertThat(sig.signer()).isEqualTo(pk.owner());
        assertThat(sig.verifies(pk, signed)).as("%s alpha signature", who).isTrue();
    }

    @ParameterizedTest
    @MethodSource("successful")
    void recordsDecryptAndCarryWhole9PMessages(String name) {
        JsonObject c = Vectors.caseOf(name);
        Vectors.Stream c2s = Vectors.stream(name, "c2s", CLIENT_FRAMES);
        Vectors.Stream s2c = Vectors.stream(name, "s2c", SERVER_FRAMES);
        SslAlgorithm alg = SslAlgorithm.parse(c.getString("alg"));
        if (c.getString("secret") == null) {
            if (alg.isNone()) {
                assertWhole9P(name + " c2s", c2s.rest(), 100);
                assertWhole9P(name + " s2c", s2c.rest(), 101);
            }
            return;
        }
        byte[] secret = Vectors.hex(c.getString("secret"));
        assertWhole9P(name + " c2s", alg.isNone() ? c2s.rest() : openAll(alg, secret, c2s.rest()), 100);
        if (s2c.rest().length > 0) {
            assertWhole9P(name + " s2c", alg.isNone() ? s2c.rest() : openAll(alg, secret, s2c.rest()), 101);
        }
    }

    /** Opens the records one byte at a time, as a worst-case network would deliver them. */
    private static byte[] openAll(SslAlgorithm alg, byte[] secret, byte[] records) {
        RecordOpener opener = alg.opener(secret);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < records.length; i++) {
            out.writeBytes(opener.open(records, i, 1));
        }
        assertThat(opener.inRecord()).as("no record is cut").isFalse();
        return out.toByteArray();
    }

    private static void assertWhole9P(String what, byte[] plain, int firstType) {
        assertThat(plain.length).as("%s carries 9P", what).isGreaterThan(7);
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.get(4) & 0xff).as("%s begins with version", what).isEqualTo(firstType);
        int messages = 0;
        while (b.remaining() > 0) {
            int size = b.getInt(b.position());
            assertThat(size).as("%s message %d size", what, messages).isBetween(7, b.remaining());
            b.position(b.position() + size);
            messages++;
        }
    }

    @Test
    void theWorkedExampleOfSection9() {
        String name = "authvec-rc4_256-sha1";
        byte[] secret = Vectors.hex(Vectors.caseOf(name).getString("secret"));
        byte[] plain = Vectors.hex("1300000064ffff182000000600395032303030");
        byte[] record = SslAlgorithm.parse("rc4_256 sha1").sealer(secret).seal(plain, 0, plain.length);
        assertThat(record).isEqualTo(Vectors.hex("8027" + "4cb9bb590eb2407f44f0dd1c3ba4f99d37c1b0628c9a4be44193e5"
                + "ff8431bc7f2a97602020edb7"));
        byte[] c2s = Vectors.stream(name, "c2s", CLIENT_FRAMES).rest();
        assertThat(java.util.Arrays.copyOf(c2s, record.length)).isEqualTo(record);
    }

    @Test
    void whatOurSealerWritesTheRecordingsHold() {
        for (String name : List.of("authvec-sha1", "authvec-md5", "authvec-rc4_128-md5", "authvec-rc4_40")) {
            JsonObject c = Vectors.caseOf(name);
            byte[] secret = Vectors.hex(c.getString("secret"));
            SslAlgorithm alg = SslAlgorithm.parse(c.getString("alg"));
            byte[] recorded = Vectors.stream(name, "c2s", CLIENT_FRAMES).rest();
            byte[] plain = openAll(alg, secret, recorded);
            RecordSealer sealer = alg.sealer(secret);
            ByteBuffer in = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (in.remaining() > 0) {
                int size = in.getInt(in.position());
                out.writeBytes(sealer.seal(plain, in.position(), size));
                in.position(in.position() + size);
            }
            assertThat(out.toByteArray()).as("%s re-sealed one 9P message per record", name).isEqualTo(recorded);
        }
    }

    @Test
    void algorithmsRefusedAsTheRealListenerRefusedThem() {
        List<String> sha1Only = List.of("sha1");
        assertReason(() -> SslAlgorithm.accept("rc4_256 sha1", sha1Only), "unsupported client algorithm: rc4_256");
        assertReason(() -> SslAlgorithm.accept("none", sha1Only), "unsupported client algorithm: none");
        assertReason(() -> SslAlgorithm.accept("clear", SslAlgorithm.listenDefaults()),
                "unsupported client algorithm: clear");
        assertThat(SslAlgorithm.accept("sha1", List.of("rc4_256", "sha1")).hash()).isEqualTo("sha1");
        assertThat(SslAlgorithm.accept("sha1/rc4_256", List.of("rc4_256", "sha1")).cipher()).isEqualTo("rc4_256");
    }

    static void assertReason(Runnable r, String reason) {
        try {
            r.run();
        } catch (AuthException e) {
            assertThat(e.reason()).isEqualTo(reason);
            return;
        }
        throw new AssertionError("expected failure: " + reason);
    }

    static Iterable<String[]> failures() {
        // recording, client key, server key, server's words, client's words (null: not replayable)
        return List.of(
                new String[] {"fail-othersigner", "alice-othersigner.rsa", "server.rsa",
                    "pk doesn't match certificate", "pk doesn't match certificate"},
                new String[] {"fail-expired", "alice-expired.rsa", "server.rsa", "certificate expired",
                    "remote: certificate expired"},
                new String[] {"fail-expiring-mkauthinfo", "alice-expiring.rsa", "server.rsa", "certificate expired",
                    "remote: certificate expired"},
                new String[] {"pyserver-authvec-fail-expired", "alice-expired.rsa", "server.rsa",
                    "certificate expired", "remote: certificate expired"},
                new String[] {"fail-elgamal-client-vs-rsa-server", "alice.elgamal", "server.rsa",
                    "pk doesn't match certificate", "pk doesn't match certificate"},
                new String[] {"neg-version-2", "alice.rsa", "server.rsa", "incompatible authentication protocol", null},
                new String[] {"neg-alpha-ge-p", "alice.rsa", "server.rsa", "implausible parameter value", null},
                new String[] {"neg-bad-cert-syntax", "alice.rsa", "server.rsa", "bad certificate syntax", null},
                new String[] {"neg-pk-owner-changed", "alice.rsa", "server.rsa", "pk doesn't match certificate", null},
                new String[] {"neg-bad-alpha-signature", "alice.rsa", "server.rsa", "bad certificate", null},
                new String[] {"neg-hangup-midway", "alice.rsa", "server.rsa", "hungup", null});
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failingRecordingsFailWithInfernosWords(String name, String clientKey, String serverKey, String serverWords,
            String clientWords) {
        assertThat(replay(name, "c2s", Vectors.key(serverKey))).as("%s as the server", name).isEqualTo(serverWords);
        if (clientWords != null) {
            assertThat(replay(name, "s2c", Vectors.key(clientKey))).as("%s as the client", name).isEqualTo(clientWords);
        }
        if (name.startsWith("neg-") && !name.equals("neg-hangup-midway")) {
            String sent = new String(Vectors.bytes("transcripts/" + name + ".s2c.bin"), StandardCharsets.ISO_8859_1);
            assertThat(sent).as("what the real server sent").contains("remote: " + serverWords);
        }
    }

    @Test
    void theBadAlphaSignatureIsBadOverTheRealAlphas() {
        Vectors.Stream c2s = Vectors.stream("neg-bad-alpha-signature", "c2s", 5);
        Vectors.Stream s2c = Vectors.stream("neg-bad-alpha-signature", "s2c", 5);
        PublicKey pk = PublicKey.parse(c2s.frame(3).text());
        byte[] signed = (c2s.frame(1).text() + s2c.frame(1).text()).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Certificate.parse(c2s.frame(4).text()).verifies(pk, signed)).isFalse();
    }

    @Test
    void dsaKeyFilesAreRefusedBeforeAnyByte() {
        assertReason(() -> new Handshake(Vectors.key("dsa-inproc/alice.dsa"), new SecureRandom(), () -> 0),
                "pk doesn't match certificate");
        KeyFile server = Vectors.key("server.rsa");
        Vectors.Stream c2s = Vectors.stream("fail-dsa-keys-from-files", "c2s", 4);
        assertThat(PublicKey.parse(c2s.frame(3).text()).alg()).isEqualTo(SignatureAlg.DSA);
        assertThat(Certificate.parse(c2s.frame(2).text()).verifies(server.signer(), c2s.frame(3).payload()))
                .as("a dsa certificate never verifies with an rsa signer").isFalse();
    }

    /** Feeds one recorded direction to our handshake holding {@code key}; returns its failure's words. */
    static String replay(String name, String dir, KeyFile key) {
        Handshake h = new Handshake(key, new SecureRandom(), () -> Vectors.RECORDED_NOW);
        h.start();
        for (AuthFrames.Frame f : Vectors.stream(name, dir, 10).frames()) {
            Handshake.Step s = h.onFrame(f);
            if (s.finished()) {
                return s.failure() == null ? "succeeded" : s.failure().reason();
            }
        }
        Handshake.Step end = h.onEnd(false);
        return end.failure().reason();
    }
}
