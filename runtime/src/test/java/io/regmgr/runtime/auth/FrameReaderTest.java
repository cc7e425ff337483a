package io.regmgr.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The reader's memory: nothing fed stays unconsumed once {@code next()} says it needs more. */
class FrameReaderTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void bufferedBytesStayBoundedWhateverTheSplit(long seed) {
        Random random = new Random(seed);
        List<byte[]> payloads = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] p = new byte[random.nextInt(4) == 0 ? 4094 : random.nextInt(200)];
            random.nextBytes(p);
            payloads.add(p);
            stream.writeBytes(AuthFrames.message(p));
        }
        byte[] all = stream.toByteArray();
        FrameReader reader = new FrameReader(AuthFrames.MAX_PAYLOAD);
        List<byte[]> got = new ArrayList<>();
        for (int pos = 0; pos < all.length; ) {
            int n = Math.min(all.length - pos, 1 + random.nextInt(random.nextBoolean() ? 16 : 70_000));
            reader.feed(all, pos, n);
            pos += n;
            assertThat(reader.buffered()).as("held after a feed: at most that piece").isLessThanOrEqualTo(n);
            for (AuthFrames.Frame f = reader.next(); f != null; f = reader.next()) {
                got.add(f.payload());
                assertThat(reader.buffered()).isLessThanOrEqualTo(n);
            }
            assertThat(reader.buffered()).as("nothing fed stays unconsumed once next() needs more").isZero();
        }
        assertThat(got).hasSize(payloads.size());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(payloads.get(i));
        }
        assertThat(reader.inFrame()).isFalse();
    }

    @Test
    void aFrameTakesNoMoreThanItselfAndTheRestIsKeptInOrder() {
        FrameReader reader = new FrameReader(AuthFrames.MAX_PAYLOAD);
        byte[] frame = AuthFrames.message("sha1");
        byte[] records = new byte[100_000];
        Arrays.fill(records, (byte) 7);
        records[0] = 1;
        records[records.length - 1] = 9;
        reader.feed(frame, 0, 3);
        reader.feed(concat(Arrays.copyOfRange(frame, 3, frame.length), Arrays.copyOf(records, 10)), 0,
                frame.length - 3 + 10);
        for (int off = 10; off < records.length; off += 9_999) {
            reader.feed(records, off, Math.min(9_999, records.length - off));
        }
        assertThat(reader.buffered()).isEqualTo(frame.length + records.length);
        assertThat(reader.next().text()).isEqualTo("sha1");
        assertThat(reader.buffered()).isEqualTo(records.length);
        assertThat(reader.take()).isEqualTo(records);
        assertThat(reader.buffered()).isZero();
        assertThat(reader.next()).isNull();
    }

    @Test
    void aLongSequenceOfTinyPiecesIsAssembled() {
        FrameReader reader = new FrameReader(AuthFrames.MAX_PAYLOAD);
        byte[] f = AuthFrames.message("x".repeat(4000).getBytes(StandardCharsets.ISO_8859_1));
        int frames = 0;
        for (int round = 0; round < 50; round++) {
            for (byte b : f) {
                reader.feed(new byte[] {b}, 0, 1);
                assertThat(reader.buffered()).isEqualTo(1);
                AuthFrames.Frame got = reader.next();
                assertThat(reader.buffered()).isZero();
                if (got != null) {
                    frames++;
                }
            }
        }
        assertThat(frames).isEqualTo(50);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
