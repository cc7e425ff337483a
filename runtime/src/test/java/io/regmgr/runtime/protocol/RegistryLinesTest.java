package io.regmgr.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.InvalidEntryException;
import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.ServiceEntry;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryLinesTest {

    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of(ServiceEntry.of("q1", "k", "two words"), "q1 k 'two words'"),
                Arguments.of(ServiceEntry.of("it's", "k", "v"), "'it''s' k v"),
                Arguments.of(ServiceEntry.of("q2", "k", ""), "q2 k ''"),
                Arguments.of(ServiceEntry.of("q10", "k", "\u0001ctl"), "q10 k '\u0001ctl'"),
                Arguments.of(ServiceEntry.of("tcp!127.0.0.1!1234", "proto", "tcp"), "tcp!127.0.0.1!1234 proto tcp"),
                Arguments.of(ServiceEntry.of("q", "k", "a\nb"), "q k 'a\nb'"),
                Arguments.of(ServiceEntry.of("bare"), "bare"),
                Arguments.of(ServiceEntry.of("\u65e5\u672c", "\u00e9", "\ud83d\ude00"), "\u65e5\u672c \u00e9 \ud83d\ude00"));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void formatsAndParsesTheSpecLines(ServiceEntry entry, String line) {
        assertThat(RegistryLines.format(entry)).as("line of %s", entry).isEqualTo(line);
        assertThat(RegistryLines.formatLine(entry)).as("terminated line of %s", entry).isEqualTo(line + "\n");
        assertThat(RegistryLines.parse(line)).as("entry of '%s'", line).isEqualTo(entry);
    }

    static Stream<Arguments> readOnly() {
        return Stream.of(
                Arguments.of("q k 'open\n", ServiceEntry.of("q", "k", "open\n")),
                Arguments.of("q k a'b c'd", ServiceEntry.of("q", "k", "ab cd")),
                Arguments.of("  q\tk  v  ", ServiceEntry.of("q", "k", "v")),
                Arguments.of("q k 1 j 2 k 3", ServiceEntry.of("q", "k", "3", "j", "2")));
    }

    @ParameterizedTest
    @MethodSource("readOnly")
    void parsesWhatOnlyAPeerWrites(String line, ServiceEntry entry) {
        assertThat(RegistryLines.parse(line)).as("entry of '%s'", line).isEqualTo(entry);
    }

    static Stream<Arguments> invalidLines() {
        return Stream.of(
                Arguments.of("", "empty or blank"),
                Arguments.of(" \t", "empty or blank"),
                Arguments.of("q k", "odd attribute/value pairs"),
                Arguments.of("q\u0001 k", "odd attribute/value pairs"),
                Arguments.of("new k v", "reserved"),
                Arguments.of("a/b k v", "'/'"),
                Arguments.of("'' k v", "must not be empty"),
                Arguments.of("'a b' k v", "a blank"),
                Arguments.of("'a\u0001' k v", "a\\x01"),
                Arguments.of("q k 'nul\u0000'", "NUL"),
                Arguments.of("q k \ud800", "lone surrogate"));
    }

    @ParameterizedTest
    @MethodSource("invalidLines")
    void aMalformedLineIsTheRegistrysViolation(String line, String rule) {
        assertThatThrownBy(() -> RegistryLines.parse(line)).as("parse '%s'", line)
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessageContainingAll("Invalid service line", rule);
    }

    @Test
    void parseAllSplitsOnNewlinesOutsideQuotesAndSkipsBlankRecords() {
        String listing = "a k v\n\n  \nb k 'x\ny'\r x ''\nc proto tcp";
        assertThat(RegistryLines.parseAll(listing, 3)).as("entries of the listing").containsExactly(
                ServiceEntry.of("a", "k", "v"),
                ServiceEntry.of("b", "k", "x\ny\r", "x", ""),
                ServiceEntry.of("c", "proto", "tcp"));
        assertThat(RegistryLines.parseAll("", 0)).as("empty listing").isEmpty();
        assertThat(RegistryLines.parseAll("\n\n", 0)).as("blank listing").isEmpty();
    }

    @Test
    void parseAllRefusesOneRecordMoreThanTheMaximum() {
        assertThatThrownBy(() -> RegistryLines.parseAll("a\nb\nc\n", 2)).as("three records at a limit of two")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).as("limit name").isEqualTo("record count");
                    assertThat(e.maximum()).as("maximum").isEqualTo(2);
                    assertThat(e.getMessage()).as("message").contains("record count");
                });
        assertThatThrownBy(() -> RegistryLines.parseAll("a", -1)).as("negative maximum")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseAllReportsABadRecordAsAViolation() {
        assertThatThrownBy(() -> RegistryLines.parseAll("a k v\nb k\n", 10)).as("odd second record")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("b k");
    }

    @Test
    void formatsFilters() {
        assertThat(RegistryLines.formatFilter(Filter.all())).as("empty filter").isEmpty();
        assertThat(RegistryLines.formatFilter(Filter.of("proto", "tcp", "name", "*", "k", "two words")))
                .as("filter words").isEqualTo("proto tcp name * k 'two words'");
    }

    @Test
    void parsesFilters() {
        assertThat(RegistryLines.parseFilter(" \n")).as("blank filter").isEqualTo(Filter.all());
        assertThat(RegistryLines.parseFilter("proto tcp 'a b' *")).as("filter")
                .isEqualTo(Filter.of("proto", "tcp", "a b", "*"));
        assertThatThrownBy(() -> RegistryLines.parseFilter("proto tcp name")).as("odd filter")
                .isInstanceOf(InvalidEntryException.class)
                .hasMessageContainingAll("proto tcp name", "odd attribute/value pairs");
        assertThatThrownBy(() -> RegistryLines.parseFilter("k 'nul\u0000'")).as("filter with NUL")
                .isInstanceOf(InvalidEntryException.class).hasMessageContaining("NUL");
    }

    @Test
    void formatsUpdates() {
        assertThat(RegistryLines.formatUpdate(Attributes.of("persist", "1", "k", "two words", "", "it's")))
                .as("update").isEqualTo("persist 1 k 'two words' '' 'it''s'");
        assertThatThrownBy(() -> RegistryLines.formatUpdate(Attributes.empty())).as("empty update")
                .isInstanceOf(InvalidEntryException.class).hasMessageContaining("bad syntax");
    }

    @Test
    void anUnbalancedQuoteSwallowsTheRestOfAListing() {
        assertThat(RegistryLines.parseAll("q k 'v\nr s t\n", 10)).as("listing with an open quote")
                .isEqualTo(List.of(ServiceEntry.of("q", "k", "v\nr s t\n")));
    }
}
