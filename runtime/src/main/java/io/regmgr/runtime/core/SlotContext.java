package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.TaskContext;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The {@link TaskContext} of one task for one session. Valid from the task's start until its stop;
 * then its timers are cancelled and {@link #index()} fails. Confined to the manager's context.
 */
final class SlotContext implements TaskContext {
    private static final System.Logger LOG = System.getLogger(SlotContext.class.getName());

    private final ManagerEngine engine;
    private final TaskSlot slot;
    private final LiveSession live;
    private final Vertx vertx;
    private final Set<Long> timers = new HashSet<>();
    /** The last index read sent before the task started (or its session's tasks did): its reads must be later ones. */
    private final long startedAfterRead;
    private boolean valid = true;

    /**
     * @param engine the manager
     * @param slot the task's slot
     * @param live the session
     * @param vertx for timers
     * @param startedAfterRead {@link Holdings#lastRead()} before the task (or the session's tasks
     *     together) started: a read sent before it is not used for this task
     */
    SlotContext(ManagerEngine engine, TaskSlot slot, LiveSession live, Vertx vertx, long startedAfterRead) {
        this.engine = engine;
        this.slot = slot;
        this.live = live;
        this.vertx = vertx;
        this.startedAfterRead = startedAfterRead;
    }

    @Override
    public RegistrySession session() {
        return live.session();
    }

    @Override
    public Optional<RegistryManager> manager() {
        return engine.owner().manager();
    }

    @Override
    public CompletionStage<List<ServiceEntry>> index() {
        if (!valid || live.ended()) {
            return CompletableFuture.failedFuture(new RegistryConnectionException(engine.describeRegistry(),
                    "index requested by " + slot.task() + " after its session ended", null));
        }
        return live.cycle().index(startedAfterRead);
    }

    @Override
    public CompletionStage<List<ServiceEntry>> find(Filter filter) {
        if (!valid || live.ended()) {
            return CompletableFuture.failedFuture(new RegistryConnectionException(engine.describeRegistry(),
                    "find requested by " + slot.task() + " after its session ended", null));
        }
        return live.cycle().find(filter, startedAfterRead);
    }

    @Override
    public long version() {
        return live.version();
    }

    @Override
    public boolean registryRestarted() {
        return live.restarted();
    }

    @Override
    public void schedule(Duration delay, Runnable action) {
        if (!valid) {
            return;
        }
        timers.add(vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
            timers.remove(id);
            if (valid) {
                runSafely(action);
            }
        }));
    }

    @Override
    public Duration retryDelay(int attempt) {
        return engine.backoff().delay(attempt);
    }

    @Override
    public Executor listenerExecutor() {
        return slot.executor();
    }

    @Override
    public void detachSelf() {
        engine.detachQuietly(slot.task());
    }

    /** The task stopped: cancel its timers; later calls do nothing or fail. */
    void invalidate() {
        valid = false;
        timers.forEach(vertx::cancelTimer);
        timers.clear();
    }

    private void runSafely(Runnable action) {
        UserCode.run(LOG, () -> "a scheduled action of task " + slot.task(), action);
    }
}
