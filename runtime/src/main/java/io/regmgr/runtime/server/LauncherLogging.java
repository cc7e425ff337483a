package io.regmgr.runtime.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * <p>(the instant in UTC to the millisecond, as {@link Instant#toString()} writes it with exactly three
 * fraction digits, the level, the logger, the message, then any exception's stack trace). The
 * launcher writes its own lines outside java.util.logging in the same format with {@link #line}
 * (its start failure, its startup trace, and its {@code registry stopping} / {@code registry stopped}
 * lines, which come after the JDK's shutdown hook has closed every handler). It exists to keep logging off the start path: no
 * {@code logging.properties} read, no console handler, and no {@link java.util.Formatter}, time-zone
 * or locale data for the time stamp, all of which the JDK's default set-up costs before the first
 * client is answered. Messages with parameters are formatted by {@link java.util.logging.Formatter#formatMessage}.
 *
 * <p>Thread-safe: a line is written with one {@code print} call. Not part of the API: public only
 * because {@link java.util.logging.LogManager} instantiates it by reflection.
 */
public final class LauncherLogging {
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
     * @param at when
     * @param level the level
     * @param logger the logger's name (the class that writes)
     * @param message the message, already formatted
     * @return {@code 2026-11-30T08:48:48.123Z LEVEL logger: message}
     */
    static StringBuilder line(Instant at, Level level, String logger, String message) {
        String instant = at.truncatedTo(ChronoUnit.MILLIS).toString();
        StringBuilder line = new StringBuilder(160);
        if (instant.indexOf('.') < 0) { // Instant.toString() leaves a zero fraction out
            line.append(instant, 0, instant.length() - 1).append(".000Z");
        } else {
            line.append(instant);
        }
        return line.append(' ').append(level.getName()).append(' ').append(logger).append(": ").append(message)
                .append(System.lineSeparator());
    }

    /**
     * Prints {@link #line} for now to {@link System#err} in one call.
     *
     * @param level the level
     * @param logger the logger's name
     * @param message the message
     */
    static void print(Level level, String logger, String message) {
        System.err.print(line(Instant.now(), level, logger, message));
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
            StringBuilder line = line(record.getInstant(), record.getLevel(), record.getLoggerName(),
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
