package io.regmgr.runtime.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone registry ({@code java [jvm options] -jar regmgr-registry.jar [args]}, with the JVM
 * running this one, or any other command such as the build's launcher script) as a child process of
 * the test or benchmark. Its stdout and stderr go to
 * a temporary file (a pipe read by a thread loses what is left when the process ends), which
 * {@link #output()} reads and {@link #awaitStyxPort} searches for the launcher's
 * {@code registry serving 9P2000 on tcp!host!port} line.
 *
 * <p>Not thread-safe: one owner. {@link #close()} kills the process if it still runs and deletes
 * the file.
 */
public final class RegistryProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("registry serving 9P2000 on tcp!.*!(\\d+)");

    private final Process process;
    private final Path log;

    private RegistryProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java jvmOptions -jar jar args}.
     *
     * @param jar the launcher jar ({@code runtime/target/regmgr-registry.jar})
     * @param jvmOptions options before {@code -jar}, e.g. {@code -XX:SharedArchiveFile=...}
     * @param args the launcher's arguments
     * @return the running process
     * @throws UncheckedIOException if the process cannot be started
     */
    public static RegistryProcess launch(Path jar, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return start(command, args);
    }

    /**
     * Starts {@code command args}: any way of running the launcher, e.g. the script the build
     * writes ({@code runtime/target/regmgr-registry}) or {@code env NAME=VALUE script}.
     *
     * @param command the command before the launcher's arguments
     * @param args the launcher's arguments
     * @return the running process
     * @throws UncheckedIOException if the process cannot be started
     */
    public static RegistryProcess start(List<String> command, String... args) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("regmgr-registry", ".log");
            return new RegistryProcess(new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + full, e);
        }
    }

    /**
     * Waits for the launcher to log where it serves 9P, looking every 5 ms.
     *
     * @param timeoutSeconds how long to wait
     * @return the 9P port it logged
     * @throws IllegalStateException if the process ends first or does not log it in time
     */
    public int awaitStyxPort(long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            boolean ended = !process.isAlive();
            Matcher m = SERVING.matcher(output());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (ended || System.nanoTime() > deadline) {
                throw new IllegalStateException("the registry " + (ended ? "ended" : "did not log its port within "
                        + timeoutSeconds + " s") + " without serving:\n" + output());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** @return whether the process still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the CPU time the process used so far, in nanoseconds, or -1 where the OS does not say */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** @return everything the process printed so far (stdout and stderr together) */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /**
     * Sends SIGTERM (as Ctrl-C or a service manager does) and waits for the process to end.
     *
     * @param timeoutSeconds how long to wait
     * @return its exit status
     * @throws IllegalStateException if it does not end in time
     */
    public int stop(long timeoutSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the registry did not stop within " + timeoutSeconds + " s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs and deletes its output file. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
