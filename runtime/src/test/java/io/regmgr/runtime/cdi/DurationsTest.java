package io.regmgr.runtime.cdi;

import io.regmgr.cdi.InvalidDeclarationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The duration forms of the configuration, table-driven. */
class DurationsTest {
    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"500ms,500", "5s,5000", "2m,120000", "1h,3600000", "PT5S,5000", "pt0.25s,250", "' 3 s ',3000"})
    void parses(String text, long millis) {
        assertThat(Durations.parse("k", text)).as("duration %s", text).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"5", "5 sec", "-1s", "PTX", "", "1.5s"})
    void refusesWithTheKeyTheValueAndTheForms(String text) {
        assertThatThrownBy(() -> Durations.parse("regmgr.connect-timeout", text)).as("duration '%s'", text)
                .isInstanceOf(InvalidDeclarationException.class)
                .hasMessageStartingWith("Invalid regmgr.connect-timeout '" + text + "': ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0s", "PT0S"})
    void refusesZero(String text) {
        assertThatThrownBy(() -> Durations.parse("k", text)).hasMessage("Invalid k '" + text + "': must be positive");
    }
}
