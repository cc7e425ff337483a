package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.InvalidEntryException;
import io.regmgr.RegistrationConflictException;
import io.regmgr.RegistrationLostException;
import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.Subscription;
import io.regmgr.runtime.core.RegistrationAttempt.Merged;
import io.regmgr.spi.Registration;
import io.regmgr.spi.TaskContext;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The built-in {@link ServiceRegistration}: registers on every start, re-registers when dropped,
 * applies updates live and carries them into every re-registration.
 *
 * <p>Refusals: {@code duplicate service name} after a reconnect usually means the registry has not
 * yet noticed the old connection died; over 9P, when the stale entry carries this manager's
 * instance token (and no registration of this session holds the name) it is removed and the
 * registration made again at once ({@link StaleEntryReclaim}); when the name is held without our
 * token it is CONFLICT; otherwise, as for any other refusal, the registration is
 * RETRYING with the registry's words in {@link RegistrationStatus#error()} and retried with
 * backoff.
 *
 * <p>Repair ({@link #refresh}): on every change it compares what it wants with what the registry
 * holds under its name ({@link Holdings}, see {@link Reconciliation}): absent -> registered again
 * with backoff; our attributes changed -> written back; held by a service without our instance
 * token -> {@code CONFLICT}, never written over, registered again once the name is free.
 *
 * <p>Updates are merged and sent by {@link RegistrationUpdates}; this class decides when a
 * registration is live, and repairs it.
 *
 * <p>Thread-safety: {@link #update}, {@link #entry()}, {@link #status()} and {@link #onStatus} from
 * any thread; the rest on the manager's context. Status listeners and update completions run on
 * the task's listener executor.
 */
final class ManagedRegistration extends ServiceRegistration implements ManagedTask {
    private static final System.Logger LOG = System.getLogger(ManagedRegistration.class.getName());

    private final String name;
    private final InstanceToken token;
    private final RegistrationUpdates updates;
    private final StaleEntryReclaim reclaim;
    private final StatusCell status = new StatusCell();
    private volatile TaskHooks hooks;
    private TaskContext context;
    private RegistrationAttempt live;
    /** A registration attempt of the current session is in flight (a reclaim included). */
    private boolean registering;
    private int attempts;
    /**
     * A change came while a write of ours was under way (registration, update or write-back), or a
     * read sent before our latest write was confirmed showed something else than our service: its
     * read is not conclusive, so the registry is read again once the write is confirmed.
     */
    private boolean recheck;
    /** Holds the session's index reads until the first answer of this session (see LiveSession). */
    private Runnable indexHold;

    /**
     * @param entry the service, instance token included
     * @param token the manager's instance token
     */
    ManagedRegistration(ServiceEntry entry, InstanceToken token) {
        this.name = entry.name();
        this.token = token;
        this.updates = new RegistrationUpdates(entry, () -> live, () -> hooks,
                () -> status.state() == RegistrationState.CONFLICT, this::recheckIfChanged);
        this.reclaim = new StaleEntryReclaim(name, token);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ServiceEntry entry() {
        return updates.entry();
    }

    @Override
    public RegistrationStatus status() {
        return status.get();
    }

    @Override
    public Subscription onStatus(Consumer<RegistrationStatus> listener) {
        return status.subscribe(listener);
    }

    @Override
    public CompletionStage<Void> update(Attributes changes) {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) {
            throw new InvalidEntryException("Invalid update of service " + name
                    + ": no attributes; an update adds or replaces at least one");
        }
        token.checkNotSet(name, changes);
        return updates.submit(changes);
    }

    @Override
    public void attached(TaskHooks taskHooks) {
        hooks = taskHooks;
        attempts = 0;
        setStatus(RegistrationState.PENDING, null);
    }

    @Override
    public void detached() {
        setStatus(RegistrationState.DETACHED, null);
        updates.failAll(hooks.listenerExecutor());
        hooks = null;
    }

    @Override
    public void start(TaskContext ctx) {
        context = ctx;
        indexHold = TaskHooks.require(hooks, this).holdIndex();
        setStatus(RegistrationState.PENDING, status.get().error());
        register(ctx, true);
    }

    @Override
    public void stop() {
        context = null;
        registering = false;
        releaseIndex();
        RegistrationAttempt ending = live;
        live = null;
        if (ending != null) {
            Hop.call(ending.handle::unregister);
            hooks.sessionNames().remove(name);
        }
        TaskHooks h = hooks;
        if (h != null && h.claimed()) { // a session ended, not a detach
            setStatus(RegistrationState.PENDING, status.get().error());
        }
    }

    private void register(TaskContext ctx, boolean mayReclaim) {
        if (registering || live != null || ctx != context) {
            return; // one attempt at a time: a retry timer and a reconciliation may both ask
        }
        registering = true;
        recheck = false; // what changed before this write is what it repairs
        hooks.registering(release -> {
            if (ctx != context) {
                release.run(); // stopped while it waited its turn
                return;
            }
            Merged m = updates.latest(); // the latest attributes when its turn comes
            RegistrationAttempt attempt = new RegistrationAttempt(ctx, hooks, this::dropped);
            onContext(Hop.call(() -> ctx.session().register(m.entry(), attempt)), (handle, failure) -> {
                release.run();
                registered(attempt, m, handle, failure, mayReclaim);
            });
        });
    }

    private void registered(RegistrationAttempt attempt, Merged m, Registration handle, Throwable failure, boolean mayReclaim) {
        if (attempt.context == context) {
            registering = false;
        }
        if (attempt.context != context) {
            if (handle != null) {
                Hop.call(handle::unregister);
            }
            return;
        }
        if (failure != null) {
            hooks.metrics().refused(failure);
        }
        Throwable why = failure != null ? failure : attempt.dropped;
        if (why == null) {
            attempt.handle = handle;
            attempt.confirmed = m;
            attempt.handled = m.seq();
            attempt.confirmedRead = Holdings.lastRead();
            live = attempt;
            attempts = 0;
            hooks.sessionNames().add(name);
            setStatus(RegistrationState.REGISTERED, null);
            releaseIndex();
            updates.completeUpTo(m.seq(), hooks.listenerExecutor());
            updates.push();
        } else if (mayReclaim && reclaim.applies(failure, attempt.context, hooks)) {
            registering = true; // until the reclaim ends
            reclaim(attempt.context, (RegistryErrorException) failure);
        } else {
            retry(attempt.context, why);
        }
    }

    /** Removes our own stale entry (it carries our token, and no registration of this session holds it), then registers. */
    private void reclaim(TaskContext ctx, RegistryErrorException duplicate) {
        reclaim.run(ctx, hooks, duplicate, () -> ctx == context, why -> {
            registering = false;
            if (why == null) {
                register(ctx, false);
            } else if (why instanceof RegistrationConflictException) {
                conflict(ctx, (RegistrationConflictException) why);
            } else {
                retry(ctx, why);
            }
        });
    }

    private void retry(TaskContext ctx, Throwable why) {
        schedule(ctx, RegistrationState.RETRYING, why);
    }

    /** Reports a conflict; retries with backoff (and at once when a change shows the name free). */
    private void conflict(TaskContext ctx, RegistrationConflictException why) {
        LOG.log(Level.WARNING, why.getMessage());
        schedule(ctx, RegistrationState.CONFLICT, why);
    }

    private void schedule(TaskContext ctx, RegistrationState state, Throwable why) {
        releaseIndex();
        if (!ctx.session().isOpen()) {
            setStatus(RegistrationState.PENDING, why);
            return;
        }
        attempts++;
        setStatus(state, why);
        LOG.log(Level.DEBUG, () -> "registration of " + name + " refused (attempt " + attempts + "): " + why.getMessage());
        ctx.schedule(ctx.retryDelay(attempts), () -> register(ctx, true));
    }

    private void releaseIndex() {
        if (indexHold != null) {
            indexHold.run();
            indexHold = null;
        }
    }

    @Override
    public void refresh(TaskContext ctx) {
        if (ctx != context) {
            return;
        }
        if (registering || (live != null && live.updating)) {
            // A write of ours is under way: what this change's read shows may precede or follow it,
            // and the change may be a removal after it; compare again once it is confirmed.
            recheck = true;
            return;
        }
        if (live == null && status.state() != RegistrationState.CONFLICT) {
            return; // nothing to compare: retrying (a new attempt repairs whatever changed)
        }
        // a name held by another party is not under our token: while in conflict, every name is read
        compare(ctx, live == null, 0);
    }

    /**
     * @param everyName false for the change's planned read of our names (the find on the instance
     *     token when there is one), true for an index read of every name
     * @param sentAfter 0 to take the current change's read; else a read (of either kind) sent after
     *     that number ({@link Holdings#lastRead()} when our latest write was confirmed), so that it
     *     shows it
     */
    private void compare(TaskContext ctx, boolean everyName, long sentAfter) {
        hooks.holdings(everyName, sentAfter).whenComplete((held, failure) -> {
            if (failure == null && ctx == context) {
                reconcile(ctx, held);
            }
        });
    }

    /** Reads again if something changed while our latest write was under way (see {@link #recheck}). */
    private void recheckIfChanged(RegistrationAttempt a) {
        if (recheck && a == live && !a.updating && !registering) {
            recheck = false;
            compare(a.context, false, a.confirmedRead);
        }
    }

    /** Compares what we want with what the registry holds under our name, and repairs ({@link RepairStep}). */
    private void reconcile(TaskContext ctx, Holdings held) {
        RegistrationAttempt a = live;
        RepairStep step = RepairStep.decide(a, registering, status.state() == RegistrationState.CONFLICT, held, name, token);
        switch (step.action()) {
            case NONE -> { }
            case REGISTER -> register(ctx, true); // the other party left: the name is free
            case RECHECK -> recheck = true; // compared again once our write is confirmed
            case READ_AGAIN -> compare(ctx, false, a.confirmedRead);
            case READ_INDEX -> compare(ctx, true, a.confirmedRead);
            case LOST -> lost(a, new RegistrationLostException(hooks.describeRegistry(), name));
            case CONFLICT -> {
                LOG.log(Level.WARNING, step.reconciliation().conflict().getMessage());
                setStatus(RegistrationState.CONFLICT, step.reconciliation().conflict());
            }
            case WRITE_BACK -> writeBack(a, step.reconciliation().writeBack());
            case BACK_IN_LINE -> {
                setStatus(RegistrationState.REGISTERED, null);
                updates.push();
            }
        }
    }

    /** Another client changed some of our attributes: write ours back (their names only are logged). */
    private void writeBack(RegistrationAttempt a, Attributes ours) {
        a.updating = true;
        hooks.metrics().observer().registrationRepaired("rewritten");
        LOG.log(Level.INFO, () -> "service " + name + ": attributes " + ours.asMap().keySet()
                + " were changed by another client; writing ours back");
        onContext(Hop.call(() -> a.handle.update(ours)), (v, failure) -> {
            a.updating = false;
            if (a != live) {
                return;
            }
            if (failure == null) {
                a.confirmedRead = Holdings.lastRead();
                setStatus(RegistrationState.REGISTERED, null);
            } else if (failure instanceof RegistryErrorException) {
                lost(a, failure); // our service is gone (9P: 'buggy program!'): register again
                return;
            }
            updates.push();
        });
    }

    /** The registry no longer holds our service although the session lives: let go of it, register again. */
    private void lost(RegistrationAttempt a, Throwable cause) {
        LOG.log(Level.INFO, () -> "service " + name + ": " + cause.getMessage());
        hooks.metrics().observer().registrationRepaired("absent");
        Hop.call(a.handle::unregister); // over the bridge, our connection to 'new' may still be open
        dropped(a, cause);
    }

    private void dropped(RegistrationAttempt attempt, Throwable cause) {
        attempt.dropped = cause;
        if (attempt != live) {
            return;
        }
        live = null;
        hooks.sessionNames().remove(name);
        LOG.log(Level.DEBUG, () -> "registration of " + name + " dropped: " + cause);
        retry(attempt.context, cause);
    }

    private <T> void onContext(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        whenAnswered(hooks, stage, then);
    }

    /**
     * @param hooks the manager's hooks, to hop onto its context
     * @param stage a registry's answer
     * @param then run on the manager's context with the value or the failure (unwrapped)
     * @param <T> the value's type
     */
    static <T> void whenAnswered(TaskHooks hooks, CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        stage.whenComplete((value, failure) -> hooks.onContext(() -> then.accept(value, Hop.unwrap(failure))));
    }

    private void setStatus(RegistrationState state, Throwable error) {
        TaskHooks h = hooks;
        status.set(new RegistrationStatus(state, error, state == RegistrationState.REGISTERED ? 0 : attempts),
                h == null ? null : h.listenerExecutor());
    }

    @Override
    public String toString() {
        return "ServiceRegistration[" + name + "]";
    }
}
