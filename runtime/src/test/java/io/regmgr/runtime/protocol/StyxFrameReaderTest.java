package io.regmgr.runtime.protocol;

import static io.regmgr.runtime.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.StyxMessage.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Splitting a stream into frames, whatever the chunking. */
class StyxFrameReaderTest {

    private static final int MSIZE = 8216;

    private final List<StyxMessage> received = new ArrayList<>();

    private static List<StyxMessage> goldenMessages() {
        return StyxCodecGoldenTest.GOLDEN.stream().map(StyxCodecGoldenTest.Golden::message).toList();
    }

    private static byte[] goldenStream() {
        return WireBytes.concat(StyxCodecGoldenTest.GOLDEN.stream().map(g -> hex(g.hex())).toList());
    }

    @Test
    void feedingAllAtOnceDeliversEveryFrame() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] stream = goldenStream();
        reader.feed(stream, 0, stream.length);
        assertThat(received).as("messages from one chunk").containsExactlyElementsOf(goldenMessages());
        assertThat(reader.hasPartialFrame()).as("partial frame after whole frames").isFalse();
    }

    @Test
    void feedingOneByteAtATimeDeliversTheSameMessages() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] stream = goldenStream();
        for (int i = 0; i < stream.length; i++) {
            reader.feed(stream, i, 1);
        }
        assertThat(received).as("messages fed byte by byte").containsExactlyElementsOf(goldenMessages());
    }

    @Test
    void aFrameIsDeliveredOnlyWhenItsLastByteArrives() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] tversion = hex("13000000 64 ffff 18200000 0600 395032303030");
        reader.feed(tversion, 0, 2);
        reader.feed(tversion, 2, tversion.length - 3);
        assertThat(received).as("before the last byte").isEmpty();
        assertThat(reader.hasPartialFrame()).as("partial frame buffered").isTrue();
        reader.feed(tversion, tversion.length - 1, 1);
        assertThat(received).as("after the last byte").containsExactly(new Tversion(StyxMessage.NOTAG, 8216, "9P2000"));
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItsBodyArrives() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] header = hex("19200000"); // 8217: one more than the maximum
        assertThatThrownBy(() -> reader.feed(header, 0, header.length))
                .as("size[4] of 8217 with a maximum of 8216")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).as("limit").isEqualTo("9P message size");
                    assertThat(e.maximum()).as("maximum").isEqualTo(MSIZE);
                    assertThat(e.actual()).as("actual").isEqualTo(8217);
                })
                .hasMessageContaining("9P message size 8217 exceeds the maximum of 8216");
        assertThat(received).as("delivered").isEmpty();
    }

    @Test
    void anOversizedFrameIsRefusedWhenItsSizeArrivesInPieces() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] header = hex("ffffffff");
        reader.feed(header, 0, 3);
        assertThatThrownBy(() -> reader.feed(header, 3, 1))
                .as("size 4294967295 completed by its fourth byte")
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("9P message size 4294967295 exceeds the maximum of 8216");
    }

    @Test
    void aSizeBelowSevenIsAProtocolViolation() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] header = hex("03000000");
        assertThatThrownBy(() -> reader.feed(header, 0, header.length))
                .as("size[4] of 3")
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessage("9P frame: declared size 3 is less than the minimum of 7 (size[4] type[1] tag[2])");
    }

    @Test
    void theReaderIsPoisonedAfterAnException() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] terror = WireBytes.frame("6a 0100 0000");
        assertThatThrownBy(() -> reader.feed(terror, 0, terror.length))
                .as("a Terror frame")
                .isInstanceOf(ProtocolViolationException.class);
        byte[] rflush = hex("07000000 6d 0400");
        assertThatThrownBy(() -> reader.feed(rflush, 0, rflush.length))
                .as("feeding after a refused frame")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connection must be closed");
        assertThat(received).as("delivered").isEmpty();
    }

    @Test
    void framesBeforeABadOneAreDelivered() {
        StyxFrameReader reader = new StyxFrameReader(MSIZE, received::add);
        byte[] stream = WireBytes.concat(List.of(hex("07000000 6d 0400"), hex("03000000")));
        assertThatThrownBy(() -> reader.feed(stream, 0, stream.length))
                .as("an Rflush followed by a size of 3")
                .isInstanceOf(ProtocolViolationException.class);
        assertThat(received).as("delivered before the bad frame").containsExactly(new Rflush(4));
    }

    @Test
    void theMaximumCanChangeBetweenFramesEvenFromTheSink() {
        byte[] rversion = hex("13000000 65 ffff 00200000 0600 395032303030");
        byte[] bigRead = StyxCodec.encode(new Rread(1, new byte[100]));
        List<StyxMessage> got = new ArrayList<>();
        StyxFrameReader[] holder = new StyxFrameReader[1];
        holder[0] = new StyxFrameReader(MSIZE, m -> {
            got.add(m);
            if (m instanceof Rversion v) {
                holder[0].setMaxMessageSize(v.msize() == 8192 ? 64 : v.msize());
            }
        });
        byte[] stream = WireBytes.concat(List.of(rversion, bigRead));
        assertThatThrownBy(() -> holder[0].feed(stream, 0, stream.length))
                .as("a 111-byte Rread after the maximum dropped to 64")
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("9P message size 111 exceeds the maximum of 64");
        assertThat(got).as("delivered").containsExactly(new Rversion(StyxMessage.NOTAG, 8192, "9P2000"));
        assertThat(holder[0].maxMessageSize()).as("maximum after Rversion").isEqualTo(64);
    }

    @Test
    void aMaximumBelowSevenIsRefused() {
        assertThatThrownBy(() -> new StyxFrameReader(6, received::add))
                .as("maximum of 6")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessageSize 6 is less than the minimum of 7");
    }

    @Property
    void anyChunkingDeliversTheSameMessages(@ForAll("messageLists") List<StyxMessage> messages,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 1 << 16) Integer> cuts) {
        byte[] stream = WireBytes.concat(messages.stream().map(StyxCodec::encode).toList());
        List<StyxMessage> got = new ArrayList<>();
        StyxFrameReader reader = new StyxFrameReader(1 << 16, got::add);
        int from = 0;
        for (int cut : new TreeSet<>(cuts.stream().map(c -> c % (stream.length + 1)).toList())) {
            reader.feed(stream, from, cut - from);
            from = cut;
        }
        reader.feed(stream, from, stream.length - from);
        assertThat(got).as("messages after cutting at %s", cuts).containsExactlyElementsOf(messages);
        assertThat(reader.hasPartialFrame()).as("partial frame at the end").isFalse();
    }

    @Property(tries = 200)
    void chunksAreNotRetainedByTheReader(@ForAll("messageLists") List<StyxMessage> messages) {
        // the reader must copy partial frames: the caller may reuse its buffer after feed returns
        byte[] stream = WireBytes.concat(messages.stream().map(StyxCodec::encode).toList());
        List<StyxMessage> got = new ArrayList<>();
        StyxFrameReader reader = new StyxFrameReader(1 << 16, got::add);
        byte[] chunk = new byte[7];
        for (int from = 0; from < stream.length; from += chunk.length) {
            int n = Math.min(chunk.length, stream.length - from);
            System.arraycopy(stream, from, chunk, 0, n);
            reader.feed(chunk, 0, n);
            Arrays.fill(chunk, (byte) 0x5a);
        }
        assertThat(got).as("messages through a reused 7-byte buffer").containsExactlyElementsOf(messages);
    }

    @Provide
    Arbitrary<List<StyxMessage>> messageLists() {
        return StyxArbitraries.messages().list().ofMaxSize(8);
    }
}
