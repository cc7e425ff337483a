package io.regmgr.runtime.core;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Calls user code (listeners, task hooks, observers) so that nothing it throws stops the caller:
 * checked exceptions thrown sneakily (Kotlin, Lombok {@code @SneakyThrows}, generated code),
 * unchecked ones and {@link Error}s are logged at {@code WARNING} with a description of the
 * callback and of the event, and the caller goes on. Only a {@link VirtualMachineError} (out of
 * memory, stack overflow) propagates: after one the JVM's state is not to be trusted. Stateless and
 * thread-safe.
 */
public final class UserCode {
    private UserCode() {
    }

    /**
     * Runs {@code call}, logging whatever it throws.
     *
     * @param log where a failure is logged
     * @param what the callback and its event, for the log line (computed only on failure)
     * @param call the user code
     * @return whether it returned normally
     * @throws VirtualMachineError if the call threw one
     */
    public static boolean run(System.Logger log, Supplier<String> what, Runnable call) {
        Objects.requireNonNull(call, "call");
        try {
            call.run();
            return true;
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable failure) { // NOPMD: user code may throw anything, checked exceptions included
            log.log(Level.WARNING, what.get() + " threw " + failure.getClass().getName() + "; delivery goes on", failure);
            return false;
        }
    }

    /**
     * A runnable that describes itself, so that a failure names the callback and the event.
     *
     * @param what the callback and its event
     * @param call the user code
     * @return the runnable; its {@code toString} is {@code what}
     */
    static Runnable described(String what, Runnable call) {
        return new Runnable() {
            @Override
            public void run() {
                call.run();
            }

            @Override
            public String toString() {
                return what;
            }
        };
    }
}
