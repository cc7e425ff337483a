package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.RegistrationConflictException;
import io.regmgr.RegistryErrorException;
import io.regmgr.spi.TaskContext;

import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A registration's answer to {@code duplicate service name}: after a reconnect the registry may
 * still hold the entry our lost connection left. When that entry carries this manager's instance
 * token (and no registration of this session holds the name), it is ours: it is removed, and the
 * registration may be made again at once. When the name is held without our token, another party
 * holds it: a {@link RegistrationConflictException}. Needs a transport that can remove
 * ({@link io.regmgr.spi.RegistrySession#canRemove()}) and a manager that stamps a token.
 *
 * <p>Threading: on the manager's context; the registry's answers are taken back onto it.
 */
final class StaleEntryReclaim {
    /** The registration's logger: what a reclaim does is logged under the same name as before the split. */
    private static final System.Logger LOG = System.getLogger(ManagedRegistration.class.getName());

    private final String name;
    private final InstanceToken token;

    /**
     * @param name the service's name
     * @param token the manager's instance token
     */
    StaleEntryReclaim(String name, InstanceToken token) {
        this.name = name;
        this.token = token;
    }

    /**
     * @param failure why a registration was refused
     * @param ctx the session's task context
     * @param hooks the manager's hooks
     * @return whether a reclaim may answer it: a duplicate name, a token, a transport that can
     *     remove, and no registration of this session holding the name
     */
    boolean applies(Throwable failure, TaskContext ctx, TaskHooks hooks) {
        return failure instanceof RegistryErrorException && ((RegistryErrorException) failure).isDuplicateName()
                && token.attribute().isPresent() && ctx.session().canRemove() && !hooks.sessionNames().contains(name);
    }

    /**
     * Finds the entries with our token; removes ours if the name is among them.
     *
     * @param ctx the session's task context
     * @param hooks the manager's hooks
     * @param duplicate the refusal
     * @param current whether {@code ctx} is still the registration's (checked after each answer:
     *     once false, nothing more is sent and {@code done} is not told)
     * @param done told on the context: null once our stale entry was removed (register again), a
     *     {@link RegistrationConflictException} when the name is held by another party, else the
     *     failure to retry after
     */
    void run(TaskContext ctx, TaskHooks hooks, RegistryErrorException duplicate, BooleanSupplier current,
            Consumer<Throwable> done) {
        Filter ours = Filter.of(token.attribute().orElseThrow(), token.value().orElseThrow());
        ManagedRegistration.whenAnswered(hooks, Hop.call(() -> ctx.session().find(ours)), (found, failure) -> {
            if (!current.getAsBoolean()) {
                return;
            }
            boolean stale = failure == null && !hooks.sessionNames().contains(name)
                    && found.stream().anyMatch(e -> e.name().equals(name) && token.marks(e));
            if (stale) {
                remove(ctx, hooks, current, done);
            } else if (failure == null) { // held, and not with our token: another party's
                done.accept(new RegistrationConflictException(name, "not listed with this manager's "
                        + token.attribute().orElseThrow(), "the registry answered '" + duplicate.registryError() + "'"));
            } else {
                done.accept(duplicate);
            }
        });
    }

    private void remove(TaskContext ctx, TaskHooks hooks, BooleanSupplier current, Consumer<Throwable> done) {
        ManagedRegistration.whenAnswered(hooks, Hop.call(() -> ctx.session().remove(name)), (v, removeFailure) -> {
            if (!current.getAsBoolean()) {
                return;
            }
            if (removeFailure == null) {
                LOG.log(Level.INFO, () -> "removed the stale entry of " + name + " left by a lost connection");
            }
            done.accept(removeFailure);
        });
    }
}
