package io.regmgr.runtime.server;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

/**
 * Where the standalone registry's start goes, when the JVM runs with {@code -Dregmgr.startup.trace}
 * (for example {@code REGMGR_JAVA_OPTS=-Dregmgr.startup.trace runtime/target/regmgr-registry}): the
 * launcher notes a monotonic timestamp at each step of its start path and, once the registry serves,
 * prints one line to stderr in the launcher's log format ({@link LauncherLogging#line}):
 *
 * <pre>
 * 2026-11-30T08:48:48.296Z INFO io.regmgr.runtime.server.StartupTrace: startup trace, ms since the JVM was created:
 *     main 27, options 46, Vert.x 81, listening 117, serving logged 117; the JVM was created at 1764492528123 ms since the epoch
 * </pre>
 *
 * <p>The reference instant is {@link java.lang.management.RuntimeMXBean#getStartTime()}, in
 * milliseconds: HotSpot takes it as the JVM's creation ends ({@code JNI_CreateJavaVM}'s
 * "VM init done"), not as the process starts, so the java launcher's work and the JVM's creation
 * (about 100 ms with the start-up cache, {@code -Xlog:startuptime}'s "Create VM") come before
 * it. It is read only when tracing, after the start, so that tracing adds little to the path it
 * measures; without the property every {@link #mark} is one read of a static field. The first
 * answer to a client is not on the line: the harness ({@code bash bench/run.sh
 * startup}) measures it from outside. Thread-safe; not part of the API.
 */
final class StartupTrace {
    /** The system property that turns tracing on (any value). */
    static final String PROPERTY = "regmgr.startup.trace";
    private static final boolean ON = System.getProperty(PROPERTY) != null;
    private static final List<String> STEPS = new ArrayList<>();
    private static final List<Long> TIMES = new ArrayList<>();

    private StartupTrace() {
    }

    /**
     * Notes that a step of the start path is done, when tracing.
     *
     * @param step what was done, one or two words
     */
    static void mark(String step) {
        if (ON) {
            long now = System.nanoTime();
            synchronized (STEPS) {
                STEPS.add(step);
                TIMES.add(now);
            }
        }
    }

    /** When tracing, prints the steps noted so far (milliseconds since the JVM was created) to stderr. */
    static void report() {
        if (!ON) {
            return;
        }
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        StringBuilder line = new StringBuilder("startup trace, ms since the JVM was created:");
        synchronized (STEPS) {
            for (int i = 0; i < STEPS.size(); i++) {
                double at = nowMillis - (nowNanos - TIMES.get(i)) / 1e6 - jvmStart;
                line.append(i == 0 ? " " : ", ").append(STEPS.get(i)).append(' ').append(Math.round(at));
            }
        }
        line.append("; the JVM was created at ").append(jvmStart).append(" ms since the epoch");
        LauncherLogging.print(Level.INFO, StartupTrace.class.getName(), line.toString());
    }
}
