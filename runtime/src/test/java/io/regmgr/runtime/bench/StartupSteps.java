package io.regmgr.runtime.bench;

import io.regmgr.runtime.server.RegistryProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the standalone registry's start goes, for {@link StartupFigures}: starts it a few more times
 * with the launcher's trace on ({@code -Dregmgr.startup.trace}, through {@code REGMGR_JAVA_OPTS}),
 * reads the line each start prints ({@code ... INFO io.regmgr.runtime.server.StartupTrace: startup trace, ms since the JVM was created: main
 * 12, options 13, ...; the JVM was created at ... ms since the epoch}) and prints the median of each
 * step in milliseconds since the command (from the instant the JVM's creation ended against this process's clock
 * at the command, 1 ms resolution), beside the median from the command until the 9P {@code Tversion}
 * was answered. These starts are not in the timed figures: the trace's report (java.lang.management)
 * runs after the start, while the first client is being answered.
 */
final class StartupSteps {
    private static final Pattern LINE = Pattern.compile(
            "startup trace, ms since the JVM was created: (.*); the JVM was created at (\\d+) ms since the epoch");
    private static final Pattern STEP = Pattern.compile("([^,]+?) (-?\\d+)");

    private StartupSteps() {
    }

    /**
     * @param command the traced command (before the launcher's arguments)
     * @param starts how many starts
     */
    static void print(List<String> command, int starts) throws InterruptedException {
        Map<String, long[]> steps = new LinkedHashMap<>();
        long[] answered = new long[starts];
        FreshPorts ports = new FreshPorts();
        for (int run = 0; run < starts; run++) {
            int at = run;
            ports.run(port -> {
                long t0 = System.nanoTime();
                long commandAt = System.currentTimeMillis();
                try (RegistryProcess registry = StartupFigures.launch(command, port)) {
                    FreshPorts.awaitTversion(registry, port, Duration.ofSeconds(30));
                    answered[at] = System.nanoTime() - t0;
                    FreshPorts.confirmOurs(registry, port);
                    Matcher line = awaitTrace(registry);
                    registry.stop(30);
                    record(steps, line, commandAt, at, starts);
                }
            });
        }
        List<String> medians = new ArrayList<>();
        steps.forEach((step, ms) -> medians.add(step + " " + Math.round(BenchSupport.median(ms))));
        System.out.printf("start path of %s, median of %d traced starts, ms since the command: %s;"
                + " command -> 9P Tversion answered %.0f ms (load average %.2f; %d starts redone on a fresh port)%n",
                String.join(" ", command), starts, String.join(", ", medians), BenchSupport.median(answered) / 1e6,
                StartupFigures.loadAverage(), ports.redone());
    }

    private static void record(Map<String, long[]> steps, Matcher line, long commandAt, int run, int starts) {
        steps.computeIfAbsent("JVM created", k -> new long[starts])[run] = Long.parseLong(line.group(2)) - commandAt;
        long jvm = steps.get("JVM created")[run];
        for (String part : line.group(1).split(", ")) {
            Matcher m = STEP.matcher(part.trim());
            if (m.matches()) {
                steps.computeIfAbsent(m.group(1), k -> new long[starts])[run] = jvm + Long.parseLong(m.group(2));
            }
        }
    }

    /** The launcher prints its trace just after it starts serving: waits for it, looking every 5 ms. */
    private static Matcher awaitTrace(RegistryProcess registry) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Matcher line = LINE.matcher(registry.output());
            if (line.find()) {
                return line;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no startup trace in the registry's output:\n" + registry.output());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
