package io.regmgr.runtime.bench;

import io.regmgr.runtime.server.RegistryProcess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The restart scenario for one way of starting the standalone registry: a client that
 * retries once a second, counted from losing its session (as the Perl original does: spec section
 * 3, "it retries 1 s after losing the event connection; a registered service reappears ~1.03 s
 * after a registry restart"); the registry is stopped with SIGTERM and the same command is run
 * again as soon as the old process has ended.
 *
 * <p>What decides the original's test (stop, start, look one second later) is whether the client's
 * first retry, one second after the loss, finds the new registry answering: if it does, the
 * service is back about 1.03 s after the restart; if not, the next try comes a second later. That
 * is the figure reported. A look at exactly the start command + 1.000 s is reported beside it,
 * with why it is a race the start time does not decide: the client lost its session when the old
 * process closed its connections, which is only as long before the start command as the old
 * process takes to exit after that (about 1 ms once its shutdown path is archived, about 50 ms
 * when its classes are loaded from the jar), so the retry begins that long before the look, and
 * its own connect, {@code Tversion} and {@code Tattach} (a few ms against a JVM just started)
 * decide whether it ends before the look.
 */
final class RestartLook {
    private final String way;
    private final List<String> command;
    private final int looks;
    private int firstTries;
    private int strictLooks;
    private final long[] lostBeforeStart;
    private final long[] answeredAfterStart;
    private final long[] retryAfterStart;
    private final long[] retryTook;

    private RestartLook(String way, List<String> command, int looks) {
        this.way = way;
        this.command = command;
        this.looks = looks;
        this.lostBeforeStart = new long[looks];
        this.answeredAfterStart = new long[looks];
        this.retryAfterStart = new long[looks];
        this.retryTook = new long[looks];
    }

    /**
     * Runs the scenario {@code looks} times and prints the figures. Each restart uses a port picked
     * free before its first process; if another process takes it while the registry is down (or
     * before the first binds), that restart is redone on a fresh port and counted ({@link FreshPorts}).
     *
     * @param way how this way of starting is named in the output
     * @param command the command before the launcher's arguments
     * @param looks how many restarts (none: nothing printed)
     */
    static void run(String way, List<String> command, int looks) throws InterruptedException {
        if (looks == 0) {
            return;
        }
        RestartLook scenario = new RestartLook(way, command, looks);
        FreshPorts ports = new FreshPorts();
        for (int i = 0; i < looks; i++) {
            int at = i;
            ports.run(port -> scenario.once(at, port));
        }
        scenario.print(ports.redone());
    }

    private void once(int i, int port) throws InterruptedException {
        try (RegistryProcess first = StartupFigures.launch(command, port)) {
            FreshPorts.awaitTversion(first, port, Duration.ofSeconds(30));
            FreshPorts.confirmOurs(first, port);
            RetryingClient client = RetryingClient.attach(port);
            try {
                first.stop(30);
                restart(i, port, client);
            } finally {
                client.stop();
            }
        }
    }

    private void restart(int i, int port, RetryingClient client) throws InterruptedException {
        long start = System.nanoTime();
        try (RegistryProcess second = StartupFigures.launch(command, port)) {
            long look = start + TimeUnit.SECONDS.toNanos(1);
            FreshPorts.awaitTversion(second, port, Duration.ofSeconds(30));
            long answered = System.nanoTime() - start;
            FreshPorts.confirmOurs(second, port);
            TimeUnit.NANOSECONDS.sleep(look - System.nanoTime());
            boolean strict = client.connectedBy(look);
            BenchSupport.waitFor(client::firstTryDone);
            answeredAfterStart[i] = answered;
            strictLooks += strict ? 1 : 0;
            firstTries += client.firstTrySucceeded() ? 1 : 0;
            lostBeforeStart[i] = start - client.lostAt();
            retryAfterStart[i] = client.firstTryAt() - start;
            retryTook[i] = client.firstTryTook();
            second.stop(30);
        }
    }

    private void print(int redone) {
        System.out.printf("restart (SIGTERM, the same command again), %s: the client's first retry, 1 s after it lost its"
                + " session, found the new registry answering: %d of %d (the new process answered a median %.0f ms after"
                + " the start command, the retry began %.0f ms after it); runs, answered / retry began: %s / %s ms%n", way,
                firstTries, looks, BenchSupport.median(answeredAfterStart) / 1e6, BenchSupport.median(retryAfterStart) / 1e6,
                BenchSupport.millis(answeredAfterStart), BenchSupport.millis(retryAfterStart));
        System.out.printf("    a look at exactly the start command + 1.000 s already saw the new session: %d of %d (the"
                + " client lost its session a median %.1f ms before the start command, and the retry's own connect,"
                + " Tversion and Tattach took %.1f ms: a race that the start time does not decide)%n", strictLooks, looks,
                BenchSupport.median(lostBeforeStart) / 1e6, BenchSupport.median(retryTook) / 1e6);
        System.out.printf("    restarts redone on a fresh port because another process took the one picked: %d%n", redone);
    }
}
