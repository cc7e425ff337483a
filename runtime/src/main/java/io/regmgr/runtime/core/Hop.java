package io.regmgr.runtime.core;

import io.vertx.core.Context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Moves a transport's results onto the manager's context. Transports complete their stages on
 * their own threads; everything the manager does with a result happens on its context, in the
 * order the results arrived. Stateless.
 */
final class Hop {
    private Hop() {
    }

    /**
     * @param stage a transport's result
     * @param context the manager's context
     * @param then run on {@code context} with the value or the failure (unwrapped from
     *     {@link CompletionException})
     * @param <T> the value's type
     */
    static <T> void whenComplete(CompletionStage<T> stage, Context context, BiConsumer<T, Throwable> then) {
        stage.whenComplete((value, failure) -> context.runOnContext(v -> then.accept(value, unwrap(failure))));
    }

    /**
     * @param call a call that returns a stage but may also throw (a value refused before sending)
     * @param <T> the value's type
     * @return its stage, or a stage failed with what it threw
     */
    static <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) { // NOPMD: a custom transport may throw a checked exception sneakily
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @param failure a failure, or null
     * @return the failure without its {@link CompletionException} wrapper
     */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
