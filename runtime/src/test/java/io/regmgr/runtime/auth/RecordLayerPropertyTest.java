package io.regmgr.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Fuzzing of the frame reader and the record layer: round trips in any pieces; garbage never escapes as anything but {@link AuthException}. */
class RecordLayerPropertyTest {
    private static final byte[] SECRET = Vectors.hex(Vectors.caseOf("authvec-rc4_256-sha1").getString("secret"));

    @Provide
    Arbitrary<String> algorithms() {
        return Arbitraries.of("clear", "sha1", "md5", "rc4_256", "rc4_128", "rc4_40", "rc4_256 sha1", "rc4_128 md5",
                "rc4_40 sha1", "des_56_cbc sha1", "des_56_ecb md5", "des_40_cbc", "descbc", "sha1/rc4_256");
    }

    @Property(tries = 300)
    void recordsRoundTripInAnyPieces(@ForAll("algorithms") String alg, @ForAll @Size(max = 6) List<byte[]> writes,
            @ForAll @IntRange(min = 1, max = 97) int piece) {
        SslAlgorithm a = SslAlgorithm.parse(alg);
        RecordSealer sealer = a.sealer(SECRET);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (byte[] w : writes) {
            wire.writeBytes(sealer.seal(w, 0, w.length));
            sent.writeBytes(w);
        }
        byte[] bytes = wire.toByteArray();
        RecordOpener opener = a.opener(SECRET);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i += piece) {
            got.writeBytes(opener.open(bytes, i, Math.min(piece, bytes.length - i)));
        }
        assertThat(got.toByteArray()).as("%s data back", alg).isEqualTo(sent.toByteArray());
    }

    @Property(tries = 60)
    void largeWritesAreSplitIntoRecordsWithinTheLimit(@ForAll("algorithms") String alg,
            @ForAll @IntRange(min = 30_000, max = 70_000) int size) {
        SslAlgorithm a = SslAlgorithm.parse(alg);
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 7);
        byte[] wire = a.sealer(SECRET).seal(data, 0, size);
        assertThat(a.opener(SECRET).open(wire, 0, wire.length)).isEqualTo(data);
    }

    @Property(tries = 500)
    void garbageRecordsFailCleanly(@ForAll("algorithms") String alg, @ForAll @Size(max = 300) byte[] garbage) {
        RecordOpener opener = SslAlgorithm.parse(alg).opener(SECRET);
        try {
            byte[] out = opener.open(garbage, 0, garbage.length);
            assertThat(out.length).isLessThanOrEqualTo(garbage.length);
        } catch (AuthException e) {
            assertThat(e.reason()).isIn("bad digest", "bad pad in ssl message", "bad record length");
        }
    }

    @Property(tries = 300)
    void aFlippedBitFailsTheDigest(@ForAll @IntRange(min = 0, max = 400) int bit,
            @ForAll @Size(min = 1, max = 40) byte[] data) {
        SslAlgorithm a = SslAlgorithm.parse("rc4_256 sha1");
        byte[] wire = a.sealer(SECRET).seal(data, 0, data.length);
        int b = 16 + bit % ((wire.length - 2) * 8 - 16);
        wire[b / 8] ^= (byte) (1 << (b % 8));
        try {
            a.opener(SECRET).open(wire, 0, wire.length);
            throw new AssertionError("a flipped bit passed");
        } catch (AuthException e) {
            assertThat(e.reason()).isEqualTo("bad digest");
        }
    }

    @Property(tries = 500)
    void framesComeBackInAnyPiecesAndGarbageFailsCleanly(@ForAll @Size(max = 5) List<@Size(max = 200) byte[]> payloads,
            @ForAll @IntRange(min = 1, max = 13) int piece, @ForAll @Size(max = 40) byte[] garbage) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        payloads.forEach(p -> wire.writeBytes(AuthFrames.message(p)));
        wire.writeBytes(garbage);
        byte[] bytes = wire.toByteArray();
        FrameReader r = new FrameReader(100);
        int frames = 0;
        try {
            for (int i = 0; i < bytes.length; i += piece) {
                r.feed(bytes, i, Math.min(piece, bytes.length - i));
                for (AuthFrames.Frame f = r.next(); f != null; f = r.next()) {
                    if (frames < payloads.size()) {
                        assertThat(f.payload()).isEqualTo(payloads.get(frames));
                    }
                    frames++;
                }
            }
        } catch (AuthException e) {
            assertThat(e.reason()).isIn("hungup", "input or format error");
            assertThat(payloads.stream().anyMatch(p -> p.length > 100) || frames >= payloads.size())
                    .as("only oversized frames or the garbage fail").isTrue();
        }
    }
}
