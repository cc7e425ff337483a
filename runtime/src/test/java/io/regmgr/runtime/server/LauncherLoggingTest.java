package io.regmgr.runtime.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's log line and its time stamp, computed without {@code java.time}'s formatter: the
 * same text as {@link Instant#toString()} with exactly three fraction digits.
 */
class LauncherLoggingTest {

    @ParameterizedTest
    @CsvSource({
        "0, 1970-01-01T00:00:00.000Z",
        "-1, 1969-12-31T23:59:59.999Z",
        "951782400000, 2000-02-29T00:00:00.000Z",
        "951868799999, 2000-02-29T23:59:59.999Z",
        "4107542400005, 2100-03-01T00:00:00.005Z",
        "1764492528123, 2025-11-30T08:48:48.123Z",
        "253402300799999, 9999-12-31T23:59:59.999Z",
        "-62167219200000, 0000-01-01T00:00:00.000Z",
    })
    void theTimeStampIsUtcToTheMillisecondWithThreeFractionDigits(long epochMillis, String expected) {
        StringBuilder stamp = new StringBuilder();
        LauncherLogging.appendUtc(stamp, epochMillis);

        assertThat(stamp.toString()).as("time stamp of %d ms since the epoch", epochMillis).isEqualTo(expected);
    }

    @Test
    void theTimeStampIsWhatInstantWritesForAnyMillisecondOfYears0To9999() {
        SplittableRandom random = new SplittableRandom(42);
        long first = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
        long last = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            long at = random.nextLong(first, last + 1);
            StringBuilder stamp = new StringBuilder();
            LauncherLogging.appendUtc(stamp, at);

            assertThat(stamp.toString()).as("time stamp of %d ms since the epoch", at).isEqualTo(threeDigits(at));
        }
    }

    @Test
    void aLineIsTheTimeStampTheLevelTheLoggerAndTheMessage() {
        String line = LauncherLogging.line(1_764_492_528_000L, Level.INFO, "io.regmgr.runtime.server.EmbeddedRegistry",
                "registry serving").toString();

        assertThat(line).as("the whole line").isEqualTo("2025-11-30T08:48:48.000Z INFO io.regmgr.runtime.server.EmbeddedRegistry: "
                + "registry serving" + System.lineSeparator());
    }

    /** {@link Instant#toString()} to the millisecond, which leaves a zero fraction out: always three digits. */
    private static String threeDigits(long epochMillis) {
        String text = Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MILLIS).toString();
        return text.indexOf('.') < 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }
}
