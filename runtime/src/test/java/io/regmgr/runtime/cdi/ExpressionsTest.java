package io.regmgr.runtime.cdi;

import io.regmgr.cdi.InvalidDeclarationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expressions in annotation values, table-driven. */
class ExpressionsTest {
    private static final Map<String, String> CONFIG = Map.of("host", "10.0.0.5", "port", "8080", "empty.default", "x");
    private static final Function<String, Optional<String>> LOOKUP = k -> Optional.ofNullable(CONFIG.get(k));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "plain|plain",
        "tcp!${host}!${port}|tcp!10.0.0.5!8080",
        "${missing:fallback}|fallback",
        "${host:ignored}|10.0.0.5",
        "a${missing:}b|ab",
        "${missing:a:b}|a:b",
        "${ host }|10.0.0.5",
        "$host|$host",
        "cost $5|cost $5",
        "x=${missing:y=z}|x=y=z",
    })
    void resolves(String text, String expected) {
        assertThat(Expressions.resolve(text, LOOKUP)).as("resolution of %s", text).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "tcp!${nope}!80|the expression ${nope} does not resolve: no config property 'nope' and no default (set it, or write ${nope:default})",
        "${host|the expression at index 0 is not closed",
        "${}|the expression ${} has no key",
        "${:x}|the expression ${:x} has no key",
        "${a:${b}}|the expression ${a:${b} holds another (expressions do not nest)",
    })
    void refuses(String text, String message) {
        assertThatThrownBy(() -> Expressions.resolve(text, LOOKUP)).as("resolution of %s", text)
                .isInstanceOf(InvalidDeclarationException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "kind=orders|4",
        "${a:b=c}=v|8",
        "${a=b}|-1",
        "novalue|-1",
        "=x|0",
    })
    void findsTheSeparatorOutsideExpressions(String text, int index) {
        assertThat(Expressions.indexOutside(text, '=')).as("first '=' outside expressions in %s", text).isEqualTo(index);
    }
}
