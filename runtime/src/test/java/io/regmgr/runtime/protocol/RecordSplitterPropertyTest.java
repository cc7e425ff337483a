package io.regmgr.runtime.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.RecordSplitter.MalformedUtf8;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RecordSplitterPropertyTest {

    @Provide
    Arbitrary<List<ServiceEntry>> entries() {
        return WireArbitraries.entries().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(1, 17).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> anything() {
        return WireArbitraries.anything();
    }

    @Property
    void formattedLinesFedInRandomByteChunksComeBackAsRecords(
            @ForAll("entries") List<ServiceEntry> entries, @ForAll("chunkSizes") List<Integer> sizes) {
        List<String> lines = entries.stream().map(RegistryLines::format).toList();
        byte[] bytes = String.join("", entries.stream().map(RegistryLines::formatLine).toList()).getBytes(UTF_8);
        List<String> records = new ArrayList<>();
        RecordSplitter s = new RecordSplitter(RecordSplitter.DEFAULT_MAX_RECORD_BYTES, "test", records::add);
        int at = 0;
        for (int i = 0; at < bytes.length; i++) {
            int n = Math.min(sizes.get(i % sizes.size()), bytes.length - at);
            s.feed(bytes, at, n);
            at += n;
        }
        assertThat(records).as("records fed in chunks of %s", sizes).isEqualTo(lines);
        assertThat(s.finish()).as("tail").isEmpty();
    }

    @Property
    void formattedLinesFedOneByteAtATimeComeBackAsRecords(@ForAll("entries") List<ServiceEntry> entries) {
        List<String> lines = entries.stream().map(RegistryLines::format).toList();
        List<String> records = new ArrayList<>();
        RecordSplitter s = new RecordSplitter(RecordSplitter.DEFAULT_MAX_RECORD_BYTES, "test", records::add);
        for (ServiceEntry e : entries) {
            for (byte b : RegistryLines.formatLine(e).getBytes(UTF_8)) {
                s.feed(new byte[] {b}, 0, 1);
            }
        }
        assertThat(records).as("records fed byte by byte").isEqualTo(lines);
    }

    @Property
    void anyTextFedInCharChunksIsRebuiltFromRecordsAndTail(
            @ForAll("anything") String text, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        List<String> records = new ArrayList<>();
        RecordSplitter s = new RecordSplitter(1 << 20, "test", records::add);
        for (int i = 0; i < text.length(); i += chunk) {
            s.feed(text.subSequence(i, Math.min(text.length(), i + chunk)));
        }
        String rebuilt = records.stream().map(r -> r + "\n").collect(Collectors.joining()) + s.finish().orElse("");
        assertThat(rebuilt).as("records and tail of '%s'", text).isEqualTo(text);
    }

    @Property
    void arbitraryBytesOnlyEverThrowTheDocumentedExceptions(
            @ForAll @Size(max = 64) List<Byte> bytes, @ForAll @IntRange(min = 1, max = 24) int max,
            @ForAll MalformedUtf8 policy) {
        RecordSplitter s = new RecordSplitter(max, "test", policy, r -> { });
        Throwable thrown = catchThrowable(() -> {
            for (Byte b : bytes) {
                s.feed(new byte[] {b}, 0, 1);
            }
            s.finish();
        });
        if (thrown != null) {
            assertThat(thrown).as("failure on %s", bytes)
                    .isInstanceOfAny(LimitExceededException.class, ProtocolViolationException.class);
        }
        if (thrown instanceof ProtocolViolationException) {
            assertThat(policy).as("policy that allowed a violation").isEqualTo(MalformedUtf8.REJECT);
        }
    }
}
