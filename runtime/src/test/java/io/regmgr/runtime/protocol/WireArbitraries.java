package io.regmgr.runtime.protocol;

import io.regmgr.Attributes;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for registry text: code points biased towards what quoting must handle (blanks,
 * quotes, newlines, control characters, non-BMP characters as well-formed surrogate pairs).
 */
final class WireArbitraries {
    private WireArbitraries() {
    }

    /** @return code points from U+0001 to U+10FFFF, no surrogates, biased towards the tricky ones */
    static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of((int) ' ', (int) '\'', (int) '\n', (int) '\t', (int) '\r')),
                Tuple.of(2, Arbitraries.integers().between(0x01, 0x1f)),
                Tuple.of(6, Arbitraries.integers().between(0x21, 0x7f)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xfffd)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
    }

    /** @return well-formed strings without NUL, possibly empty */
    static Arbitrary<String> text() {
        return codePoints().list().ofMaxSize(16).map(WireArbitraries::fromCodePoints);
    }

    /** @return valid service names: no character at or below U+0020, no '/', no U+007F, not reserved */
    static Arbitrary<String> serviceNames() {
        Arbitrary<Integer> nameChars = codePoints().filter(cp -> cp > 0x20 && cp != '/' && cp != 0x7f);
        return nameChars.list().ofMinSize(1).ofMaxSize(16).map(WireArbitraries::fromCodePoints)
                .filter(name -> !RegistryNames.RESERVED.contains(name));
    }

    /** @return service entries with up to 6 attributes of arbitrary text */
    static Arbitrary<ServiceEntry> entries() {
        Arbitrary<Map<String, String>> attributes = Arbitraries.maps(text(), text()).ofMaxSize(6)
                .map(LinkedHashMap::new);
        return Combinators.combine(serviceNames(), attributes)
                .as((name, map) -> new ServiceEntry(name, Attributes.of(map)));
    }

    /** @return any string at all: NUL, lone surrogates and all */
    static Arbitrary<String> anything() {
        return Arbitraries.oneOf(text(), Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars(" '\n\t\0a=").ofMaxLength(40));
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder b = new StringBuilder();
        codePoints.forEach(b::appendCodePoint);
        return b.toString();
    }
}
