package io.regmgr.runtime.core;

import io.regmgr.ServiceEntry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.TaskContext;

import java.util.function.BiConsumer;

/**
 * One registration attempt of a {@link ManagedRegistration} in one session: its handle once the
 * registry accepted it, what the registry confirmed, whether a write is under way; as the
 * attempt's listener it hears when the registry drops it. Confined to the manager's context.
 */
final class RegistrationAttempt implements RegistrationListener {
    /**
     * The attributes as merged so far, and how many merges made them.
     *
     * @param entry the service with every merged attribute
     * @param seq the number of merges
     */
    record Merged(ServiceEntry entry, long seq) {
    }

    final TaskContext context;
    private final TaskHooks hooks;
    private final BiConsumer<RegistrationAttempt, Throwable> onDropped;
    Registration handle;
    Merged confirmed;
    long handled;
    /** The last read sent before the registry confirmed our latest write: it cannot show that write. */
    long confirmedRead;
    boolean updating;
    Throwable dropped;

    /**
     * @param context the session's task context
     * @param hooks the manager's hooks, to hop onto its context
     * @param onDropped told on the context when the registry drops the registration
     */
    RegistrationAttempt(TaskContext context, TaskHooks hooks, BiConsumer<RegistrationAttempt, Throwable> onDropped) {
        this.context = context;
        this.hooks = hooks;
        this.onDropped = onDropped;
    }

    @Override
    public void dropped(Throwable cause) {
        hooks.onContext(() -> onDropped.accept(this, cause));
    }
}
