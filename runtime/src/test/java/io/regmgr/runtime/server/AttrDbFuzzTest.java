package io.regmgr.runtime.server;

import io.regmgr.InvalidEntryException;
import io.regmgr.ServiceEntry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of the static services file: arbitrary text (attrdb's own characters over-represented)
 * parses or ends in InvalidEntryException; whatever parses turns into services without throwing,
 * each named by its entry's first value.
 */
class AttrDbFuzzTest {

    @Property
    void arbitraryTextParsesOrIsAnInvalidEntry(@ForAll("text") String text) {
        List<AttrDb.Entry> entries;
        try {
            entries = AttrDb.parse(text);
        } catch (InvalidEntryException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").contains("attrdb line");
            return;
        }
        List<ServiceEntry> services = AttrDb.services(entries);
        assertThat(services.size()).as("services from entries").isLessThanOrEqualTo(entries.size());
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> attrdbish = Arbitraries.strings().withChars("ab=' \t\n#\"\\\r").ofMaxLength(120);
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(120);
        Arbitrary<String> lines = Arbitraries.of("service=svc proto=tcp", "\tport=1", "service='a b' x='y''z'",
                "service=", "=v", "# comment", "service=s\n  k=v", "service='open").list().ofMaxSize(8)
                .map(l -> String.join("\n", l));
        return Arbitraries.oneOf(attrdbish, any, lines);
    }
}
