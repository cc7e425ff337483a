package io.regmgr.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.LimitExceededException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuotingTest {

    static Stream<Arguments> quoted() {
        return Stream.of(
                Arguments.of("two words", "'two words'"),
                Arguments.of("it's", "'it''s'"),
                Arguments.of("", "''"),
                Arguments.of("\u0001ctl", "'\u0001ctl'"),
                Arguments.of("tcp!127.0.0.1!1234", "tcp!127.0.0.1!1234"),
                Arguments.of("a\nb", "'a\nb'"),
                Arguments.of("a\tb", "'a\tb'"),
                Arguments.of("cr\r", "'cr\r'"),
                Arguments.of("'", "''''"),
                Arguments.of("=#{}$;!*", "=#{}$;!*"),
                Arguments.of("h\u00e9llo\u65e5\u672c", "h\u00e9llo\u65e5\u672c"),
                Arguments.of("\ud83d\ude00", "\ud83d\ude00"),
                Arguments.of("del\u007f", "del\u007f"),
                Arguments.of("nbsp\u00a0", "nbsp\u00a0"));
    }

    @ParameterizedTest
    @MethodSource("quoted")
    void quotesLikeInfernoPercentQ(String word, String expected) {
        assertThat(Quoting.quote(word)).as("%%q of '%s'", word).isEqualTo(expected);
        assertThat(Quoting.unquote(expected)).as("unquoted %s", expected).containsExactly(word);
    }

    static Stream<Arguments> unquoted() {
        return Stream.of(
                Arguments.of("q1 k 'two words'", List.of("q1", "k", "two words")),
                Arguments.of("'it''s' k v", List.of("it's", "k", "v")),
                Arguments.of("q2 k ''", List.of("q2", "k", "")),
                Arguments.of("q10 k '\u0001ctl'", List.of("q10", "k", "\u0001ctl")),
                Arguments.of("tcp!127.0.0.1!1234 proto tcp", List.of("tcp!127.0.0.1!1234", "proto", "tcp")),
                Arguments.of("q k 'multi\nline'", List.of("q", "k", "multi\nline")),
                Arguments.of("q k 'open\n", List.of("q", "k", "open\n")),
                Arguments.of("a'b c'd", List.of("ab cd")),
                Arguments.of("a''b", List.of("ab")),
                Arguments.of("'''", List.of("'")),
                Arguments.of("'' ''", List.of("", "")),
                Arguments.of("  a \t b\n\nc  ", List.of("a", "b", "c")),
                Arguments.of("x\ry", List.of("x\ry")),
                Arguments.of("", List.of()),
                Arguments.of(" \t\n", List.of()));
    }

    @ParameterizedTest
    @MethodSource("unquoted")
    void unquotesLikeInfernoStrUnquoted(String text, List<String> expected) {
        assertThat(Quoting.unquote(text)).as("words of '%s'", text).isEqualTo(expected);
    }

    @Test
    void joinQuotesEachWordAndSeparatesWithOneBlank() {
        assertThat(Quoting.join("q1", "k", "two words")).as("joined words").isEqualTo("q1 k 'two words'");
        assertThat(Quoting.join(List.of("", "it's"))).as("joined list").isEqualTo("'' 'it''s'");
        assertThat(Quoting.join()).as("no words").isEmpty();
    }

    @Test
    void wordCountLimitRefusesOneWordMore() {
        assertThat(Quoting.unquote("a 'b c'", 2)).as("two words at a limit of two").hasSize(2);
        assertThat(Quoting.unquote(" \n", 0)).as("no words at a limit of zero").isEmpty();
        assertThatThrownBy(() -> Quoting.unquote("a b c", 2))
                .as("three words at a limit of two")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).as("limit name").isEqualTo("word count");
                    assertThat(e.maximum()).as("maximum").isEqualTo(2);
                    assertThat(e.getMessage()).as("message").contains("word count", "a b c");
                });
        assertThatThrownBy(() -> Quoting.unquote("a", -1)).as("negative limit")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void unquoteIsLinearOnManyQuotes() {
        String text = "'" + "''".repeat(2_000_000) + "' " + "x ".repeat(1_000_000);
        List<String> words = Quoting.unquote(text);
        assertThat(words).as("word count").hasSize(1_000_001);
        assertThat(words.get(0)).as("the escaped quotes").hasSize(2_000_000);
    }
}
