package io.regmgr.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.regmgr.Filter;
import io.regmgr.InvalidEntryException;
import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.ServiceEntry;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

class RegistryLinesPropertyTest {

    @Provide
    Arbitrary<ServiceEntry> entry() {
        return WireArbitraries.entries();
    }

    @Provide
    Arbitrary<List<ServiceEntry>> entries() {
        return WireArbitraries.entries().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> filterWords() {
        return WireArbitraries.text().list().ofMaxSize(4)
                .map(words -> words.stream().flatMap(w -> Stream.of(w, w + "v")).toList());
    }

    @Provide
    Arbitrary<String> anything() {
        return WireArbitraries.anything();
    }

    @Property
    void anEntryRoundTripsThroughItsLine(@ForAll("entry") ServiceEntry entry) {
        assertThat(RegistryLines.parse(RegistryLines.format(entry))).as("parse(format(e))").isEqualTo(entry);
    }

    @Property
    void aListingOfLinesRoundTrips(@ForAll("entries") List<ServiceEntry> entries) {
        String listing = entries.stream().map(RegistryLines::formatLine).collect(Collectors.joining());
        assertThat(RegistryLines.parseAll(listing, entries.size())).as("parseAll of the listing").isEqualTo(entries);
    }

    @Property
    void anUpdateReadsBackAsTheAttributes(@ForAll("entry") ServiceEntry entry) {
        if (entry.attributes().isEmpty()) {
            return;
        }
        String line = Quoting.quote(entry.name()) + " " + RegistryLines.formatUpdate(entry.attributes());
        assertThat(RegistryLines.parse(line).attributes()).as("attributes of '%s'", line)
                .isEqualTo(entry.attributes());
    }

    @Property
    void aFilterRoundTrips(@ForAll("filterWords") List<String> words) {
        Filter filter = Filter.of(words);
        assertThat(RegistryLines.parseFilter(RegistryLines.formatFilter(filter))).as("filter").isEqualTo(filter);
    }

    @Property
    void parsingAnythingOnlyThrowsTheDocumentedExceptions(@ForAll("anything") String text) {
        assertOnlyThrows(() -> RegistryLines.parse(text), "parse of '" + text + "'",
                ProtocolViolationException.class);
        assertOnlyThrows(() -> RegistryLines.parseAll(text, 3), "parseAll of '" + text + "'",
                ProtocolViolationException.class, LimitExceededException.class);
        assertOnlyThrows(() -> RegistryLines.parseFilter(text), "parseFilter of '" + text + "'",
                InvalidEntryException.class);
    }

    private static void assertOnlyThrows(ThrowingCallable call, String description, Class<?>... allowed) {
        Throwable thrown = catchThrowable(call);
        if (thrown != null) {
            assertThat(thrown).as("failure of %s", description).isInstanceOfAny(allowed);
        }
    }
}
