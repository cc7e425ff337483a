package io.regmgr.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Arbitrary and corrupted input never escapes as anything but ProtocolViolationException or
 * LimitExceededException: no IndexOutOfBounds, NegativeArraySize, OutOfMemory or NullPointer.
 */
class StyxFuzzTest {

    @Property
    void decodeOfArbitraryBytesOnlyThrowsProtocolViolations(@ForAll("bytes") byte[] bytes) {
        try {
            StyxCodec.decode(bytes);
        } catch (ProtocolViolationException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").isNotBlank();
        }
    }

    @Property
    void decodeOfCorruptedFramesOnlyThrowsProtocolViolations(@ForAll("corruptedFrames") byte[] frame) {
        try {
            StyxCodec.decode(frame);
        } catch (ProtocolViolationException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").isNotBlank();
        }
    }

    @Property
    void decodeStatsOfArbitraryBytesOnlyThrowsProtocolViolations(@ForAll("bytes") byte[] bytes) {
        try {
            StyxCodec.decodeStats(bytes);
        } catch (ProtocolViolationException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").isNotBlank();
        }
    }

    @Property
    void theReaderOnlyThrowsProtocolViolationsOrLimits(@ForAll("bytes") byte[] bytes,
            @ForAll @IntRange(min = 7, max = 300) int maxMessageSize, @ForAll @IntRange(min = 1, max = 40) int chunk) {
        StyxFrameReader reader = new StyxFrameReader(maxMessageSize, m -> { });
        try {
            for (int from = 0; from < bytes.length; from += chunk) {
                reader.feed(bytes, from, Math.min(chunk, bytes.length - from));
            }
        } catch (ProtocolViolationException | LimitExceededException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    /** Valid frames of every type with a few bytes overwritten, so the fuzzing reaches the fields. */
    @Provide
    Arbitrary<byte[]> corruptedFrames() {
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(3);
        Arbitrary<List<Byte>> values = Arbitraries.bytes().list().ofSize(3);
        return Combinators.combine(StyxArbitraries.messages(), positions, values).as((m, at, v) -> {
            byte[] frame = StyxCodec.encode(m);
            for (int i = 0; i < at.size(); i++) {
                frame[at.get(i) % frame.length] = v.get(i);
            }
            return frame;
        });
    }
}
