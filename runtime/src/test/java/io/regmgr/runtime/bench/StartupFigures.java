package io.regmgr.runtime.bench;

import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProcess;
import io.regmgr.runtime.server.RegistryServerException;
import io.regmgr.runtime.server.StyxTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A scenario harness (not a test) for how fast the standalone registry starts and restarts, run
 * with {@code bash bench/run.sh startup} after the build made {@code runtime/target/regmgr-registry}
 * (the launcher script), the jar, its class-data-sharing archive and, where a JDK 25 was found, its
 * ahead-of-time cache. For each way of starting it (the README's command, the script's fallback
 * without JDK 25, the former command with the JDK 17 archive, plain {@code java -jar}):
 *
 * <ol>
 * <li>from the command, with the line bridge on, until its 9P port accepts a connection and
 *     answers {@code Tversion}: median and p90, the ways alternating in one run, and the process's
 *     CPU time until then (all its threads);</li>
 * <li>the scenario ({@link RestartLook}): a client that retries once a second after losing
 *     the registry, the registry stopped with SIGTERM and started again at once;</li>
 * </ol>
 * and {@link EmbeddedRegistry#restart()} in-process, until it returns (listening) and until a new
 * connection's {@code Tversion} is answered.
 *
 * <p>Every process gets a fresh port found free just before; a run whose port another process took
 * meanwhile is redone on a fresh one and counted ({@link FreshPorts}). The load average is printed with the figures: they are wall times.
 */
public final class StartupFigures {
    private static final Path TARGET = Path.of("runtime", "target");
    private static final Path SCRIPT = TARGET.resolve("regmgr-registry");
    private static final Path JAR = TARGET.resolve("regmgr-registry.jar");
    private static final Path ARCHIVE = TARGET.resolve("regmgr-registry.jsa");
    private static final int WARM_UP = 2;
    private static final int RESTARTS = 100;
    /** The launcher's system property for its start-path trace (io.regmgr.runtime.server.StartupTrace). */
    static final String TRACE = "regmgr.startup.trace";

    private StartupFigures() {
    }

    /**
     * @param args optional: how many timed starts of each way (default 20), how many restarts of
     *     each way in the restart scenario (default 10)
     */
    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int looks = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        boolean scriptOnly = args.length > 2 && args[2].equals("script");
        for (Path built : List.of(SCRIPT, JAR, ARCHIVE)) {
            if (!Files.exists(built)) {
                throw new IllegalStateException(built + " is missing: build with ./mvnw package (without -Dregmgr.cds.skip)");
            }
        }
        System.out.printf("machine: %d cores, java %s, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage());
        System.out.println("the README command starts " + (Files.exists(TARGET.resolve("regmgr-registry.aot"))
                ? "a JDK 25+ with the build's ahead-of-time cache" : "java on the PATH with the archive (no JDK 25 found by the build)"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, List<String>> ways = new LinkedHashMap<>();
        ways.put("README command (" + SCRIPT + ")", List.of(SCRIPT.toString()));
        if (scriptOnly) {
            startTimes(ways, starts);
            StartupSteps.print(List.of("env", "REGMGR_JAVA_OPTS=-D" + TRACE, SCRIPT.toString()), Math.max(5, starts / 2));
            RestartLook.run("README command (" + SCRIPT + ")", List.of(SCRIPT.toString()), looks);
            System.out.printf("load average at the end %.2f%n", loadAverage());
            return;
        }
        ways.put("the script without JDK 25 (REGMGR_NO_AOT=1: java on the PATH, the archive)",
                List.of("env", "REGMGR_NO_AOT=1", SCRIPT.toString()));
        ways.put("java -Xshare:auto -XX:SharedArchiveFile=" + ARCHIVE + " -jar (the former README command)",
                List.of(java, "-Xshare:auto", "-XX:SharedArchiveFile=" + ARCHIVE, "-jar", JAR.toString()));
        ways.put("java -jar " + JAR, List.of(java, "-jar", JAR.toString()));
        startTimes(ways, starts);
        StartupSteps.print(List.of("env", "REGMGR_JAVA_OPTS=-D" + TRACE, SCRIPT.toString()), Math.max(5, starts / 2));
        inProcessRestarts();
        for (Map.Entry<String, List<String>> way : ways.entrySet()) {
            RestartLook.run(way.getKey(), way.getValue(), looks);
        }
        System.out.printf("load average at the end %.2f%n", loadAverage());
    }

    private static void startTimes(Map<String, List<String>> variants, int starts) throws InterruptedException {
        Map<String, long[]> wall = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        variants.keySet().forEach(k -> {
            wall.put(k, new long[starts]);
            cpu.put(k, new long[starts]);
        });
        FreshPorts ports = new FreshPorts();
        for (int run = -WARM_UP; run < starts; run++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                int at = run;
                ports.run(port -> {
                    long t0 = System.nanoTime();
                    try (RegistryProcess registry = launch(v.getValue(), port)) {
                        FreshPorts.awaitTversion(registry, port, Duration.ofSeconds(30));
                        long t1 = System.nanoTime();
                        FreshPorts.confirmOurs(registry, port);
                        if (at >= 0) {
                            wall.get(v.getKey())[at] = t1 - t0;
                            cpu.get(v.getKey())[at] = registry.cpuNanos();
                        }
                        registry.stop(30);
                    }
                });
            }
        }
        System.out.printf("starts redone on a fresh port because another process took the one picked: %d%n", ports.redone());
        wall.forEach((variant, times) -> System.out.printf("standalone registry, command -> 9P Tversion answered, %s: "
                + "median %.0f ms, p90 %.0f ms (its CPU time until then: median %.0f ms), runs %s ms%n", variant,
                BenchSupport.median(times) / 1e6, p90(times) / 1e6, BenchSupport.median(cpu.get(variant)) / 1e6,
                BenchSupport.millis(times)));
    }

    private static void inProcessRestarts() {
        long[] returned = new long[RESTARTS];
        long[] answered = new long[RESTARTS];
        int lostPorts = 0;
        EmbeddedRegistry registry = inProcess();
        try {
            for (int run = -20; run < RESTARTS; run++) {
                long t0 = System.nanoTime();
                try {
                    registry.restart();
                } catch (RegistryServerException e) {
                    // while stopped, another process's connection may take one of its ports as its own local port
                    System.out.println("restart " + run + " could not bind again, starting on new ports: " + e.getMessage());
                    registry.close();
                    registry = inProcess();
                    lostPorts++;
                    run--;
                    continue;
                }
                long t1 = System.nanoTime();
                awaitTversion(registry.styxPort());
                long t2 = System.nanoTime();
                if (run >= 0) {
                    returned[run] = t1 - t0;
                    answered[run] = t2 - t0;
                }
            }
        } finally {
            registry.close();
        }
        System.out.printf("EmbeddedRegistry.restart() in-process (9P and bridge): returns after median %.2f ms, p90 %.2f ms;"
                + " a new connection's Tversion answered after median %.2f ms, p90 %.2f ms (%d restarts after 20 warm-up;"
                + " %d more lost a port to another process)%n", BenchSupport.median(returned) / 1e6, p90(returned) / 1e6,
                BenchSupport.median(answered) / 1e6, p90(answered) / 1e6, RESTARTS, lostPorts);
    }

    private static EmbeddedRegistry inProcess() {
        return EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start();
    }

    static RegistryProcess launch(List<String> command, int port) {
        return RegistryProcess.start(command, "--styx", "tcp!127.0.0.1!" + port, "--bridge", "tcp!127.0.0.1!0");
    }

    /** Waits until the in-process registry's port answers {@code Tversion}, trying every 2 ms. */
    private static void awaitTversion(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!answersTversion(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing answered on port " + port + " within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static boolean answersTversion(int port) {
        try (StyxTestClient client = StyxTestClient.connect(port)) {
            return client.version(8216) instanceof Rversion;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static long p90(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(sorted.length * 0.9) - 1];
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
