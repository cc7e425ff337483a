package io.regmgr.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of the handshake: any sequence of frames, garbage or near-valid (real frames of a
 * recording with changed bytes), ends the handshake only with a failure in Inferno's words or an
 * error frame to send; nothing else escapes and nothing succeeds without a valid signature.
 */
class HandshakeFuzzTest {
    private static final KeyFile SERVER = Vectors.key("server.rsa");
    private static final List<AuthFrames.Frame> REAL = Vectors.stream("authvec-sha1", "c2s", 7).frames();

    @Provide
    Arbitrary<AuthFrames.Frame> frames() {
        Arbitrary<AuthFrames.Frame> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .map(b -> new AuthFrames.Frame(false, b));
        Arbitrary<AuthFrames.Frame> text = Arbitraries.strings().withChars("rsaelgmdh01\n=+/AZ ").ofMaxLength(200)
                .map(t -> new AuthFrames.Frame(false, t.getBytes(StandardCharsets.ISO_8859_1)));
        Arbitrary<AuthFrames.Frame> mutated = Arbitraries.integers().between(0, REAL.size() - 1)
                .flatMap(i -> Arbitraries.integers().between(0, 400).map(pos -> mutate(REAL.get(i), pos)));
        Arbitrary<AuthFrames.Frame> real = Arbitraries.of(REAL);
        return Arbitraries.oneOf(garbage, text, mutated, real, Arbitraries.just(new AuthFrames.Frame(true,
                "remote: x".getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Provide
    Arbitrary<List<AuthFrames.Frame>> frameLists() {
        return frames().list().ofMaxSize(8);
    }

    private static AuthFrames.Frame mutate(AuthFrames.Frame f, int pos) {
        byte[] b = f.payload().clone();
        if (b.length > 0) {
            b[pos % b.length] ^= 0x15;
        }
        return new AuthFrames.Frame(false, b);
    }

    @Property(tries = 400)
    void anyFramesEndInInfernosWordsOnly(@ForAll("frameLists") List<AuthFrames.Frame> in) {
        Handshake h = new Handshake(SERVER, new SecureRandom(), () -> Vectors.RECORDED_NOW);
        h.start();
        for (AuthFrames.Frame f : in) {
            Handshake.Step s = h.onFrame(f);
            for (byte[] out : s.send()) {
                assertThat(out.length).isLessThanOrEqualTo(AuthFrames.HEADER + AuthFrames.MAX_PAYLOAD);
            }
            if (s.finished()) {
                assertThat(s.result()).as("no success: the client's signature is over another alpha").isNull();
                assertThat(s.failure().reason()).isNotBlank();
                return;
            }
        }
        assertThat(h.onEnd(false).failure()).isNotNull();
    }
}
