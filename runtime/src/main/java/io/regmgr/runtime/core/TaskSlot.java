package io.regmgr.runtime.core;

import io.regmgr.spi.RegistryTask;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An attached task as its manager keeps it: the task, its listener executor, and its context while
 * started. Confined to the manager's context, except the hooks it lends built-in tasks.
 */
final class TaskSlot implements TaskHooks {
    private final ManagerEngine engine;
    private final RegistryTask task;
    private final SerialExecutor executor;
    private SlotContext context;

    TaskSlot(ManagerEngine engine, RegistryTask task, SerialExecutor executor) {
        this.engine = engine;
        this.task = task;
        this.executor = executor;
    }

    RegistryTask task() {
        return task;
    }

    SerialExecutor executor() {
        return executor;
    }

    /** @return its context while started, else null */
    SlotContext context() {
        return context;
    }

    void context(SlotContext started) {
        this.context = started;
    }

    @Override
    public Executor listenerExecutor() {
        return executor;
    }

    @Override
    public void onContext(Runnable action) {
        engine.onContext(action);
    }

    @Override
    public Set<String> sessionNames() {
        return engine.sessionNames();
    }

    @Override
    public Runnable holdIndex() {
        return engine.holdIndex();
    }

    @Override
    public void registering(Consumer<Runnable> start) {
        engine.registering(start);
    }

    @Override
    public void whenUnheld(Runnable action) {
        engine.whenUnheld(action);
    }

    @Override
    public CompletionStage<Holdings> holdings(boolean everyName, long sentAfter) {
        return engine.holdings(everyName, sentAfter);
    }

    @Override
    public boolean claimed() {
        return engine.claims(task);
    }

    @Override
    public ManagerMetrics metrics() {
        return engine.metrics();
    }

    @Override
    public String describeRegistry() {
        return engine.describeRegistry();
    }
}
