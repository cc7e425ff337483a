package io.regmgr.runtime.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The standalone registry's logging set-up, named by the launcher as {@code java.util.logging.config.class}
 * unless the command line configures java.util.logging itself ({@code -Djava.util.logging.config.file},
 * {@code .config.class} or {@code java.util.logging.SimpleFormatter.format}): INFO and above to
 * stderr, one line per record,
 *
 * <pre>
 * 2026-11-30T08:48:48.123Z INFO io.regmgr.runtime.server.EmbeddedRegistry: registry serving 9P2000 on tcp!127.0.0.1!6675, ...
 * </pre>
 *
 * <p>(the instant in UTC to the millisecond, as {@link java.time.Instant#toString()} writes it with
 * exactly three fraction digits, the level, the logger, the message, then any exception's stack
 * trace). The
 * launcher writes its own lines outside java.util.logging in the same format with {@link #line}
 * (its start failure, its startup trace, and its {@code registry stopping} / {@code registry stopped}
 * lines, which come after the JDK's shutdown hook has closed every handler). It exists to keep logging off the start path: no
 * {@code logging.properties} read, no console handler, and no {@link java.util.Formatter}, time-zone
 * or locale data for the time stamp, all of which the JDK's default set-up costs before the first
 * client is answered. The time stamp is computed here, not by {@code java.time}'s formatter, whose
 * set-up (some 50 classes, held in the start-up cache and initialised on the main thread while
 * the first client is answered) the first line would otherwise cost. Messages with parameters are
 * formatted by {@link java.util.logging.Formatter#formatMessage}.
 *
 * <p>Thread-safe: a line is written with one {@code print} call. Not part of the API: public only
 * because {@link java.util.logging.LogManager} instantiates it by reflection.
 */
public final class LauncherLogging {
    private static final long MILLIS_PER_DAY = 86_400_000;

    /**
     * Installs the stderr handler on the root logger, at INFO. Called by {@link java.util.logging.LogManager}
     * when it initialises.
     */
    public LauncherLogging() {
        Logger root = Logger.getLogger("");
        for (Handler old : root.getHandlers()) {
            root.removeHandler(old);
        }
        root.setLevel(Level.INFO);
        root.addHandler(new LineHandler());
    }

    /**
     * One line in the launcher's format, ending with the line separator.
     *
     * @param epochMillis when, in milliseconds since 1970-01-01T00:00:00Z
     * @param level the level
     * @param logger the logger's name (the class that writes)
     * @param message the message, already formatted
     * @return {@code 2026-11-30T08:48:48.123Z LEVEL logger: message}
     */
    static StringBuilder line(long epochMillis, Level level, String logger, String message) {
        StringBuilder line = new StringBuilder(160);
        appendUtc(line, epochMillis);
        return line.append(' ').append(level.getName()).append(' ').append(logger).append(": ").append(message)
                .append(System.lineSeparator());
    }

    /**
     * Appends {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC (the proleptic Gregorian calendar, as
     * {@link java.time.Instant#toString()} for years 0 to 9999), with the days-to-date conversion
     * of H. Hinnant's {@code civil_from_days}.
     */
    static void appendUtc(StringBuilder to, long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long millisOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
        long z = days + 719_468; // days since 0000-03-01
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100); // from March 1st
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        long month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        pad(to, year, 4).append('-');
        pad(to, month, 2).append('-');
        pad(to, dayOfYear - (153 * monthFromMarch + 2) / 5 + 1, 2).append('T');
        pad(to, millisOfDay / 3_600_000, 2).append(':');
        pad(to, millisOfDay / 60_000 % 60, 2).append(':');
        pad(to, millisOfDay / 1000 % 60, 2).append('.');
        pad(to, millisOfDay % 1000, 3).append('Z');
    }

    private static StringBuilder pad(StringBuilder to, long value, int digits) {
        for (long limit = 10; digits > 1; digits--, limit *= 10) {
            if (value < limit) {
                to.append('0');
            }
        }
        return to.append(value);
    }

    /**
     * Prints {@link #line} for now to {@link System#err} in one call.
     *
     * @param level the level
     * @param logger the logger's name
     * @param message the message
     */
    static void print(Level level, String logger, String message) {
        System.err.print(line(System.currentTimeMillis(), level, logger, message));
    }

    /** One line per record to {@link System#err}, as the class comment shows. */
    private static final class LineHandler extends Handler {
        private final java.util.logging.Formatter messages = new java.util.logging.Formatter() {
            @Override
            public String format(LogRecord record) {
                return formatMessage(record);
            }
        };

        @Override
        public void publish(LogRecord record) {
            if (record == null || !isLoggable(record)) {
                return;
            }
            StringBuilder line = line(record.getMillis(), record.getLevel(), record.getLoggerName(),
                    record.getParameters() == null ? record.getMessage() : messages.format(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            System.err.print(line);
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
