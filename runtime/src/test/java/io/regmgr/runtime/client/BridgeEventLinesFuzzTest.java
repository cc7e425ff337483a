package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fuzzing of the bridge's event line parser: arbitrary bytes, with or without a valid start, in
 * any chunking, end in nothing but ProtocolViolationException (then IllegalStateException for any
 * further feed); valid versions come out as they went in, whatever the chunking.
 */
class BridgeEventLinesFuzzTest {

    @Property
    void arbitraryBytesOnlyEndInAProtocolViolation(@ForAll("input") byte[] bytes,
            @ForAll @IntRange(min = 1, max = 32) int chunk) {
        List<Long> versions = new ArrayList<>();
        BridgeEventLines p = new BridgeEventLines("fuzz", sink(versions));
        try {
            feed(p, bytes, chunk);
        } catch (ProtocolViolationException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").isNotBlank();
            assertThatThrownBy(() -> p.feed(new byte[] {'1'})).as("failed parser")
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(versions).as("versions are never negative").allMatch(v -> v >= 0);
    }

    @Property
    void versionsRoundTripInAnyChunking(@ForAll("versions") List<Long> versions,
            @ForAll @IntRange(min = 1, max = 32) int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("READY\n".getBytes(StandardCharsets.US_ASCII));
        versions.forEach(v -> out.writeBytes(String.format("%08d\n", v)
                .getBytes(StandardCharsets.US_ASCII)));
        List<Long> seen = new ArrayList<>();
        BridgeEventLines p = new BridgeEventLines("fuzz", sink(seen));
        feed(p, out.toByteArray(), chunk);
        assertThat(p.isReady()).as("ready").isTrue();
        assertThat(seen).as("versions out").isEqualTo(versions);
    }

    private static void feed(BridgeEventLines p, byte[] bytes, int chunk) {
        for (int from = 0; from < bytes.length; from += chunk) {
            p.feed(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunk)));
        }
    }

    private static BridgeEventLines.Sink sink(List<Long> versions) {
        return new BridgeEventLines.Sink() {
            @Override
            public void ready() {
            }

            @Override
            public void version(long version) {
                versions.add(version);
            }
        };
    }

    @Provide
    Arbitrary<byte[]> input() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> digitsAndNewlines = Arbitraries.of((byte) '0', (byte) '7', (byte) '9', (byte) '\n', (byte) '-',
                (byte) ' ', (byte) '\r').array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> afterReady = Arbitraries.oneOf(raw, digitsAndNewlines).map(b -> {
            byte[] all = Arrays.copyOf("READY\n".getBytes(StandardCharsets.US_ASCII), 6 + b.length);
            System.arraycopy(b, 0, all, 6, b.length);
            return all;
        });
        return Arbitraries.oneOf(raw, afterReady, afterReady);
    }

    @Provide
    Arbitrary<List<Long>> versions() {
        return Arbitraries.longs().between(0, EventRecords.MAX_VERSION).list().ofMaxSize(20);
    }
}
