package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.spi.RegistryTask;
import io.regmgr.spi.TaskContext;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A one-shot lookup, as the original's Lookup task: on start it asks the registry once, hands the
 * answer over and detaches itself. While the registry is unreachable it waits, across reconnects;
 * a timeout while the session lives is retried with backoff; as a session starts, it asks once
 * this manager's registrations have had their first answer, so that it sees them; any other failure (a refusal, an
 * answer too large) fails the stage. Cancelling the stage detaches the task.
 *
 * <p>Confined to the manager's context; the result completes on the task's listener executor.
 */
final class LookupTask extends RegistryTask implements ManagedTask {
    private final Filter filter;
    private final CompletableFuture<List<ServiceEntry>> result = new CompletableFuture<>();
    private TaskHooks hooks;
    private TaskContext context;
    private int failures;

    LookupTask(Filter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        result.whenComplete((list, failure) -> {
            if (failure instanceof CancellationException) {
                manager().ifPresent(m -> {
                    try {
                        m.detach(this);
                    } catch (IllegalStateException alreadyGone) {
                        // detached meanwhile: nothing to do
                    }
                });
            }
        });
    }

    /** @return the answer, completed off the event loop */
    CompletionStage<List<ServiceEntry>> result() {
        return result;
    }

    @Override
    public void attached(TaskHooks taskHooks) {
        hooks = taskHooks;
    }

    @Override
    public void detached() {
        if (!result.isDone()) {
            RegistryConnectionException abandoned = new RegistryConnectionException(hooks.describeRegistry(),
                    "lookup " + filter.words() + " abandoned: detached (the manager closed) before the registry answered", null);
            hooks.listenerExecutor().execute(() -> result.completeExceptionally(abandoned));
        }
    }

    @Override
    public void start(TaskContext ctx) {
        context = ctx;
        TaskHooks.require(hooks, this).whenUnheld(() -> {
            if (ctx == context) {
                ask(ctx);
            }
        });
    }

    @Override
    public void stop() {
        context = null;
    }

    private void ask(TaskContext ctx) {
        TaskHooks h = hooks;
        // the current change's read of this filter when there is one (shared with monitors of the same filter)
        Hop.call(() -> ctx.find(filter)).whenComplete((list, failure) -> h.onContext(() -> answered(ctx, list, Hop.unwrap(failure))));
    }

    private void answered(TaskContext ctx, List<ServiceEntry> list, Throwable failure) {
        if (ctx != context || result.isDone()) {
            return;
        }
        if (failure == null) {
            List<ServiceEntry> answer = List.copyOf(list);
            ctx.listenerExecutor().execute(() -> result.complete(answer));
            ctx.detachSelf();
        } else if (failure instanceof RegistryConnectionException || failure instanceof RegistryTimeoutException) {
            if (ctx.session().isOpen()) {
                failures++;
                ctx.schedule(ctx.retryDelay(failures), () -> ask(ctx));
            }
        } else {
            ctx.listenerExecutor().execute(() -> result.completeExceptionally(failure));
            ctx.detachSelf();
        }
    }

    @Override
    public String toString() {
        return "Lookup" + filter.words();
    }
}
