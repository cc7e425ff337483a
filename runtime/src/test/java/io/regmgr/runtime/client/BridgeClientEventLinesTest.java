package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event port's format, table-driven, fed whole and one byte at a time. */
class BridgeClientEventLinesTest {
    /** Records READY as -1 and each version as itself. */
    private static final class Recorder implements BridgeEventLines.Sink {
        final List<Long> seen = new ArrayList<>();

        @Override
        public void ready() {
            seen.add(-1L);
        }

        @Override
        public void version(long version) {
            seen.add(version);
        }
    }

    private static List<Long> feedWhole(String text) {
        Recorder r = new Recorder();
        new BridgeEventLines("event port test", r).feed(text.getBytes(StandardCharsets.ISO_8859_1));
        return r.seen;
    }

    private static List<Long> feedBytewise(String text) {
        Recorder r = new Recorder();
        BridgeEventLines lines = new BridgeEventLines("event port test", r);
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            lines.feed(new byte[] {b});
        }
        return r.seen;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "READY\\n|-1",
        "READY\\n00000001\\n|-1,1",
        "READY\\n00000077\\n00000081\\n|-1,77,81",
        "READY\\n123456789\\n|-1,123456789",
        "READY\\n4294967295\\n|-1,4294967295",
        "READY\\n0000004|-1",
    })
    void acceptsTheFormat(String input, String expected) {
        String text = input.replace("\\n", "\n");
        List<Long> want = new ArrayList<>();
        for (String v : expected.split(",")) {
            want.add(Long.parseLong(v));
        }
        assertThat(feedWhole(text)).as("whole: " + input).isEqualTo(want);
        assertThat(feedBytewise(text)).as("byte at a time: " + input).isEqualTo(want);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HELLO\\n", "ready\\n", "READY \\n", "READY\\r\\n", "READYREADY", "\\n",
        "READY\\n0000001\\n", "READY\\n\\n", "READY\\n0000000a\\n", "READY\\n 00000001\\n",
        "READY\\n00000001\\r\\n", "READY\\n1234567890123456789\\n", "READY\\nREADY\\n",
        "READY\\n12345678901\\n", "READY\\n4294967296\\n",
    })
    void rejectsAnythingElse(String input) {
        String text = input.replace("\\r", "\r").replace("\\n", "\n");
        assertThatThrownBy(() -> feedWhole(text)).as("whole: " + input)
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("event port test");
        assertThatThrownBy(() -> feedBytewise(text)).as("byte at a time: " + input)
                .isInstanceOf(ProtocolViolationException.class);
    }

    @org.junit.jupiter.api.Test
    void staysFailedAfterAnError() {
        BridgeEventLines lines = new BridgeEventLines("event port test", new Recorder());
        assertThatThrownBy(() -> lines.feed("X".getBytes(StandardCharsets.US_ASCII)))
                .as("first error").isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> lines.feed("READY\n".getBytes(StandardCharsets.US_ASCII)))
                .as("after the error").isInstanceOf(IllegalStateException.class);
    }
}
