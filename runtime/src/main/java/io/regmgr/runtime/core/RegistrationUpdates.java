package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.core.RegistrationAttempt.Merged;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A registration's attribute updates: each is merged at once into what will be registered (so
 * every later registration carries it), and its stage waits until the registry holds it. What was
 * merged since the registry last confirmed is sent to the live registration as one difference,
 * one write at a time; a write that may not have arrived (connection lost, timeout) is sent again
 * after the first retry delay; a refused one fails the stages it carried.
 *
 * <p>Threading: {@link #entry()}, {@link #latest()} and {@link #submit} from any thread; the rest on
 * the manager's context. Stages complete on the task's listener executor.
 */
final class RegistrationUpdates {
    private final String name;
    private final AtomicReference<Merged> merged;
    private final PendingUpdates pending = new PendingUpdates();
    private final Supplier<RegistrationAttempt> live;
    private final Supplier<TaskHooks> hooks;
    private final BooleanSupplier heldBack;
    private final Consumer<RegistrationAttempt> settled;

    /**
     * @param entry the service as first registered
     * @param live the registration the registry holds now, or null; on the context
     * @param hooks the manager's hooks while attached, else null; any thread
     * @param heldBack whether writes wait (in conflict: another party's entry is never written over)
     * @param settled told, on the context, when nothing is left to send to the live registration
     */
    RegistrationUpdates(ServiceEntry entry, Supplier<RegistrationAttempt> live, Supplier<TaskHooks> hooks,
            BooleanSupplier heldBack, Consumer<RegistrationAttempt> settled) {
        this.name = entry.name();
        this.merged = new AtomicReference<>(new Merged(entry, 0));
        this.live = live;
        this.hooks = hooks;
        this.heldBack = heldBack;
        this.settled = settled;
    }

    /** @return the service with every update merged; any thread */
    ServiceEntry entry() {
        return merged.get().entry();
    }

    /** @return the merged service and the number of its merges; any thread */
    Merged latest() {
        return merged.get();
    }

    /**
     * Merges {@code changes} (checked by the caller) and sends them once it is their turn.
     *
     * @param changes attributes to add or replace
     * @return completes once the registry holds them; fails at once when not attached (the merge
     *     is kept for the next registration), or with the registry's refusal
     */
    CompletionStage<Void> submit(Attributes changes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        TaskHooks h = hooks.get();
        if (h == null) {
            merge(changes);
            done.completeExceptionally(notAttached());
        } else {
            pending.add(() -> merge(changes), done);
            h.onContext(() -> {
                if (hooks.get() == null) {
                    pending.failAll(notAttached(), h.listenerExecutor()); // detached meanwhile
                } else {
                    push();
                }
            });
        }
        return done.minimalCompletionStage();
    }

    /**
     * @param seq the registry holds every merge up to this one (a registration carried them)
     * @param executor where to complete their stages
     */
    void completeUpTo(long seq, Executor executor) {
        pending.completeUpTo(seq, executor);
    }

    /** @param executor where to fail every waiting stage: the registration was detached */
    void failAll(Executor executor) {
        pending.failAll(notAttached(), executor);
    }

    /** Sends what was merged since the registry last confirmed, one write at a time. */
    void push() {
        RegistrationAttempt a = live.get();
        Merged m = merged.get();
        if (a == null || a.updating) {
            return;
        }
        if (m.seq() <= a.handled || heldBack.getAsBoolean()) {
            settled.accept(a);
            return;
        }
        TaskHooks h = hooks.get();
        Attributes diff = Reconciliation.difference(a.confirmed.entry().attributes(), m.entry().attributes());
        if (diff.isEmpty()) {
            a.confirmed = m;
            a.handled = m.seq();
            pending.completeUpTo(m.seq(), h.listenerExecutor());
            settled.accept(a);
            return;
        }
        a.updating = true;
        ManagedRegistration.whenAnswered(h, Hop.call(() -> a.handle.update(diff)), (v, failure) -> updated(a, m, failure));
    }

    private void updated(RegistrationAttempt a, Merged m, Throwable failure) {
        a.updating = false;
        if (a != live.get()) {
            return;
        }
        if (failure == null) {
            a.confirmed = m;
            a.handled = m.seq();
            a.confirmedRead = Holdings.lastRead();
            pending.completeUpTo(m.seq(), hooks.get().listenerExecutor());
        } else if (failure instanceof RegistryConnectionException || failure instanceof RegistryTimeoutException) {
            // Not refused, maybe not applied: try again (a re-registration would carry it anyway).
            a.context.schedule(a.context.retryDelay(1), this::push);
            return;
        } else {
            a.handled = m.seq();
            pending.failUpTo(m.seq(), failure, hooks.get().listenerExecutor());
        }
        push();
    }

    /** Merges {@code changes} into what will be registered; returns the merge's number. */
    private long merge(Attributes changes) {
        return merged.updateAndGet(old -> new Merged(
                new ServiceEntry(name, old.entry().attributes().with(changes)), old.seq() + 1)).seq();
    }

    private IllegalStateException notAttached() {
        return new IllegalStateException("update of service " + name + " not sent: it is not attached to a manager"
                + " (the merged attributes are kept for its next registration)");
    }
}
