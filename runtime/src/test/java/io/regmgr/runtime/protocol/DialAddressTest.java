package io.regmgr.runtime.protocol;

import io.regmgr.InvalidEntryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DialAddressTest {
    @ParameterizedTest
    @CsvSource({
        "tcp!127.0.0.1!6675, 127.0.0.1, 6675",
        "net!reg.example!registry, reg.example, 6675",
        "tcp!*!6701, 0.0.0.0, 6701",
        "localhost:6701, localhost, 6701",
        "'[::1]:6675', ::1, 6675",
        "' tcp!h!0 ', h, 0",
    })
    void parses(String text, String host, int port) {
        assertThat(DialAddress.parse(text)).as(text).isEqualTo(new DialAddress(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp!h", "udp!h!1", "tcp!h!70000", "tcp!h!http", "h:", ":1", "::1:5", "tcp!!5", "nohost"})
    void refuses(String text) {
        assertThatThrownBy(() -> DialAddress.parse(text)).as(text)
                .isInstanceOf(InvalidEntryException.class).hasMessageContaining(text.trim().isEmpty() ? "" : "Invalid");
    }

    @ParameterizedTest
    @CsvSource({"tcp!h!1, tcp!h!1", "h:2, tcp!h!2"})
    void printsAsADialString(String text, String printed) {
        assertThat(DialAddress.parse(text)).as(text).hasToString(printed);
    }
}
