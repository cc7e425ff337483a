package io.regmgr.runtime.bench;

import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.server.RegistryProcess;
import io.regmgr.runtime.server.StyxTestClient;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs of the startup harnesses that start a registry PROCESS on a port picked free before: on this
 * shared machine another process may take that port between the pick and the bind (or while a
 * stopped registry is down, before the same command runs again). Such a run is not a failure of the
 * registry: {@link #awaitTversion} and {@link #confirmOurs} tell it apart ({@link PortTaken}: our process ended without serving,
 * or something that is not a 9P server answered), and {@link #run} redoes the run on a fresh port,
 * counting the redone runs for the figures' line. Not thread-safe: one harness at a time.
 */
final class FreshPorts {
    /** More redone runs than this in one harness section means something else is wrong: stop there. */
    private static final int MAX_REDONE = 20;
    private int redone;

    /** One run on a port picked free just before. */
    @FunctionalInterface
    interface Run {
        /**
         * @param port the 9P port to start the registry on
         * @throws PortTaken if the port turned out taken by another process
         */
        void on(int port) throws InterruptedException;
    }

    /** The port a run picked was not ours when the registry needed it. */
    static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTaken(int port, String what) {
            super("port " + port + ": " + what);
        }
    }

    /**
     * Runs {@code run} on a fresh free port, again on another one each time it throws {@link PortTaken}.
     *
     * @param run the run
     * @throws IllegalStateException after {@value #MAX_REDONE} redone runs in all
     */
    void run(Run run) throws InterruptedException {
        while (true) {
            try {
                run.on(StartupFigures.freePort());
                return;
            } catch (PortTaken e) {
                if (++redone > MAX_REDONE) {
                    throw new IllegalStateException("more than " + MAX_REDONE + " runs lost their port", e);
                }
                System.out.println("    redoing a run on a fresh port: " + e.getMessage());
            }
        }
    }

    /** @return how many runs were redone on a fresh port so far */
    int redone() {
        return redone;
    }

    /**
     * Waits until {@code port} answers {@code Tversion}, trying every 2 ms (more often would compete
     * for the CPU), and returns at once when it does: the caller's clock stops there.
     *
     * @param registry the process started on {@code port}
     * @param port its 9P port
     * @param patience how long to wait
     * @throws PortTaken if the process ended first (it could not bind) or a peer that is not a 9P server answered
     * @throws IllegalStateException if nothing answered in time
     */
    static void awaitTversion(RegistryProcess registry, int port, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!answersTversion(port)) {
            if (!registry.isAlive()) {
                throw new PortTaken(port, "the registry ended without serving: " + registry.output().strip());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing answered on port " + port + " within " + patience);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * After {@link #awaitTversion} (off the clock): the answer was our registry's only if it logged
     * serving 9P on {@code port}.
     *
     * @param registry the process started on {@code port}
     * @param port its 9P port
     * @throws PortTaken if it ended without serving, or serves elsewhere
     */
    static void confirmOurs(RegistryProcess registry, int port) {
        int serving;
        try {
            serving = registry.awaitStyxPort(30);
        } catch (IllegalStateException e) {
            throw new PortTaken(port, "another process answered 9P there: " + e.getMessage().strip());
        }
        if (serving != port) {
            throw new PortTaken(port, "the registry serves on " + serving);
        }
    }

    private static boolean answersTversion(int port) {
        try (StyxTestClient client = StyxTestClient.connect(port)) {
            if (client.version(8216) instanceof Rversion) {
                return true;
            }
            throw new PortTaken(port, "the peer there answered Tversion with something else");
        } catch (UncheckedIOException e) {
            return false;
        } catch (PortTaken e) {
            throw e;
        } catch (RuntimeException e) {
            // e.g. LimitExceededException: a size word that spells text ("READ") is another program's reply
            throw new PortTaken(port, "another process answered, not a 9P server: " + e.getMessage());
        }
    }
}
