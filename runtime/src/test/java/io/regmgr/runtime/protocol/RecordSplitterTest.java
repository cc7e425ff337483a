package io.regmgr.runtime.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.RecordSplitter.MalformedUtf8;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordSplitterTest {
    private static final String CONTEXT = "find answer from tcp!reg!6702";

    private final List<String> records = new ArrayList<>();

    private RecordSplitter splitter(int max) {
        return new RecordSplitter(max, CONTEXT, records::add);
    }

    private RecordSplitter strict(int max) {
        return new RecordSplitter(max, CONTEXT, MalformedUtf8.REJECT, records::add);
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("a b\nc d\n", List.of("a b", "c d"), Optional.empty()),
                Arguments.of("q k 'multi\nline' x\nnext k v\n", List.of("q k 'multi\nline' x", "next k v"),
                        Optional.empty()),
                Arguments.of("q 'it''s\nstill' x\nn\n", List.of("q 'it''s\nstill' x", "n"), Optional.empty()),
                Arguments.of("a''b\nc\n", List.of("a''b", "c"), Optional.empty()),
                Arguments.of("\n\n", List.of("", ""), Optional.empty()),
                Arguments.of("crlf\r\n", List.of("crlf\r"), Optional.empty()),
                Arguments.of("a k v\nlast k v", List.of("a k v"), Optional.of("last k v")),
                Arguments.of("q k 'open\nr s\n", List.of(), Optional.of("q k 'open\nr s\n")),
                Arguments.of("\ud83d\ude00 k \u00e9\u65e5\n", List.of("\ud83d\ude00 k \u00e9\u65e5"), Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void splitsOnNewlinesOutsideQuotesFedWhole(String text, List<String> expected, Optional<String> tail) {
        RecordSplitter s = splitter(1024);
        s.feed(text);
        assertThat(records).as("records of '%s'", text).isEqualTo(expected);
        assertThat(s.hasPartialRecord()).as("partial record pending").isEqualTo(tail.isPresent());
        assertThat(s.finish()).as("tail").isEqualTo(tail);
    }

    @ParameterizedTest
    @MethodSource("streams")
    void splitsTheSameFedOneByteAtATime(String text, List<String> expected, Optional<String> tail) {
        RecordSplitter s = splitter(1024);
        for (byte b : text.getBytes(UTF_8)) {
            s.feed(new byte[] {b}, 0, 1);
        }
        assertThat(records).as("records of '%s' fed byte by byte", text).isEqualTo(expected);
        assertThat(s.finish()).as("tail").isEqualTo(tail);
    }

    @ParameterizedTest
    @MethodSource("streams")
    void splitsTheSameFedOneCharAtATime(String text, List<String> expected, Optional<String> tail) {
        RecordSplitter s = splitter(1024);
        for (int i = 0; i < text.length(); i++) {
            s.feed(text.subSequence(i, i + 1));
        }
        assertThat(records).as("records of '%s' fed char by char", text).isEqualTo(expected);
        assertThat(s.finish()).as("tail").isEqualTo(tail);
    }

    @Test
    void aRecordOfExactlyTheMaximumPasses() {
        RecordSplitter s = splitter(8);
        s.feed("12345678\n\u00e9\u00e9\u00e9\u00e9\n");
        assertThat(records).as("records at the limit").containsExactly("12345678", "\u00e9\u00e9\u00e9\u00e9");
    }

    @Test
    void aLongRecordIsRefusedAtItsFirstExcessByte() {
        RecordSplitter s = splitter(8);
        byte[] bytes = "12345678".getBytes(UTF_8);
        s.feed(bytes, 0, bytes.length);
        assertThatThrownBy(() -> s.feed(new byte[] {'9'}, 0, 1))
                .as("ninth byte of a record limited to eight")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).as("limit name").isEqualTo("line length");
                    assertThat(e.maximum()).as("maximum").isEqualTo(8);
                    assertThat(e.actual()).as("bytes seen").isEqualTo(9);
                    assertThat(e.getMessage()).as("message").contains(CONTEXT, "line length");
                });
    }

    @Test
    void multiByteCharactersAndQuotedNewlinesCountTowardsTheLimit() {
        assertThatThrownBy(() -> splitter(3).feed("\u00e9\u00e9")).as("two 2-byte characters over 3 bytes")
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> splitter(4).feed("'a\nb\nc'\n")).as("quoted newlines over 4 bytes")
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void aFailedSplitterRefusesFurtherUse() {
        RecordSplitter s = splitter(2);
        assertThatThrownBy(() -> s.feed("abc")).as("over the limit").isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> s.feed("\n")).as("feed after failure").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(CONTEXT);
        assertThatThrownBy(s::finish).as("finish after failure").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCallbackFailurePropagatesAndPoisonsTheSplitter() {
        RecordSplitter s = new RecordSplitter(64, CONTEXT, r -> {
            throw new IllegalArgumentException("bad record " + r);
        });
        assertThatThrownBy(() -> s.feed("a\nb\n")).as("callback failure")
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad record a");
        assertThatThrownBy(() -> s.feed("c\n")).as("feed after callback failure")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void finishEndsTheStream() {
        RecordSplitter s = splitter(64);
        s.feed("a\n");
        assertThat(s.hasPartialRecord()).as("partial after a newline").isFalse();
        assertThat(s.finish()).as("tail after a newline").isEmpty();
        assertThat(s.finish()).as("second finish").isEmpty();
        assertThatThrownBy(() -> s.feed("b")).as("feed after finish").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void malformedUtf8IsReplacedByDefault() {
        RecordSplitter s = splitter(64);
        byte[] bytes = {'a', (byte) 0xff, 'b', '\n', (byte) 0xe2, (byte) 0x82, '\n', (byte) 0xe2, (byte) 0x82};
        s.feed(bytes, 0, bytes.length);
        assertThat(records).as("records with malformed bytes").containsExactly("a\ufffdb", "\ufffd");
        assertThat(s.hasPartialRecord()).as("incomplete sequence pending").isTrue();
        assertThat(s.finish()).as("incomplete sequence at end of stream").contains("\ufffd");
    }

    @Test
    void malformedUtf8IsAViolationWhenRejected() {
        assertThatThrownBy(() -> strict(64).feed(ByteBuffer.wrap(new byte[] {'a', (byte) 0xff, '\n'})))
                .as("invalid byte")
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessageContainingAll(CONTEXT, "malformed UTF-8");
        RecordSplitter s = strict(64);
        s.feed(ByteBuffer.wrap(new byte[] {'a', (byte) 0xe2, (byte) 0x82}));
        assertThatThrownBy(s::finish).as("stream ending inside a sequence")
                .isInstanceOf(ProtocolViolationException.class);
    }

    @Test
    void aSequenceSplitAcrossChunksIsDecodedWhole() {
        RecordSplitter s = strict(64);
        byte[] bytes = "x\ud83d\ude00\n".getBytes(UTF_8);
        s.feed(bytes, 0, 3);
        s.feed(bytes, 3, 2);
        ByteBuffer rest = ByteBuffer.wrap(bytes, 5, bytes.length - 5);
        s.feed(rest);
        assertThat(rest.hasRemaining()).as("buffer consumed").isFalse();
        assertThat(records).as("records").containsExactly("x\ud83d\ude00");
    }

    @Test
    void textAfterAnIncompleteSequenceIsAMisuse() {
        RecordSplitter s = splitter(64);
        s.feed(new byte[] {(byte) 0xc3}, 0, 1);
        assertThatThrownBy(() -> s.feed("a")).as("text fed mid-sequence").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theMaximumMustBePositive() {
        assertThatThrownBy(() -> splitter(0)).as("zero maximum").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void splittingIsLinearWhenFedOneByteAtATime() {
        String big = "q k '" + "x\n".repeat(1_000_000) + "'\n";
        RecordSplitter s = splitter(4_000_000);
        byte[] bytes = big.getBytes(UTF_8);
        ByteBuffer one = ByteBuffer.allocate(1);
        for (byte b : bytes) {
            one.clear();
            one.put(b).flip();
            s.feed(one);
        }
        assertThat(records).as("one big record").hasSize(1);
        assertThat(records.get(0)).as("its length").hasSize(big.length() - 1);
    }
}
