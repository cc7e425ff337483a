package io.regmgr.runtime.core;

import io.regmgr.spi.RegistryTask;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks attached to a {@link ManagerEngine}, by identity and in attach order: it gives each a
 * {@link TaskSlot}, starts it in a session, refreshes and stops it, and calls the task (a user's
 * code, guarded by {@link UserCode}) when that happens. It neither knows the manager's lifecycle
 * nor opens sessions: the engine decides when, this table does it for every task.
 *
 * <p>Threading: confined to the manager's context, except {@link #releaseQuietly} (any thread).
 */
final class AttachedTasks {
    /** The engine's logger: a task's failing callback is logged under the same name as before the split. */
    private static final System.Logger LOG = System.getLogger(ManagerEngine.class.getName());

    private final ManagerEngine engine;
    private final RegistryTask.Owner owner;
    private final ManagerResources resources;
    private final ManagerMetrics metrics;
    private final Map<RegistryTask, TaskSlot> slots = new IdentityHashMap<>();
    private final List<TaskSlot> order = new ArrayList<>();

    /**
     * @param engine the manager the slots lend hooks from
     * @param owner the token the tasks are claimed with
     * @param resources where each task's listener executor comes from
     * @param metrics told of each attach and detach
     */
    AttachedTasks(ManagerEngine engine, RegistryTask.Owner owner, ManagerResources resources, ManagerMetrics metrics) {
        this.engine = engine;
        this.owner = owner;
        this.resources = resources;
        this.metrics = metrics;
    }

    /**
     * Brings the task's slot in line with its claim: a claimed task of a running manager gets a
     * slot (started at once in {@code live}); any other loses its slot.
     *
     * @param task a task attached or detached since
     * @param running whether the manager still runs
     * @param live the open session, or null
     */
    void reconcile(RegistryTask task, boolean running, LiveSession live) {
        boolean ours = task.isClaimedBy(owner);
        TaskSlot slot = slots.get(task);
        if (ours && running) {
            if (slot == null) {
                add(task, live);
            }
            return;
        }
        if (ours) {
            // Accepted by attach(), then the manager closed before the task got here: it is
            // attached and detached at once, so that it ends like every other task (a lookup fails).
            releaseQuietly(task);
            if (slot == null) {
                slot = add(task, null);
            }
        }
        if (slot != null) {
            remove(slot);
        }
    }

    /**
     * Starts, in a session just opened, every attached task not started yet; removes those
     * detached meanwhile (their reconcile still queued).
     *
     * @param session the session
     * @param before the last read sent before it, which every task started here shares
     */
    void startAll(LiveSession session, long before) {
        for (TaskSlot slot : List.copyOf(order)) {
            if (slots.get(slot.task()) != slot || slot.context() != null) {
                continue;
            }
            if (slot.task().isClaimedBy(owner)) {
                start(slot, session, before);
            } else {
                // Detached on another thread (or by a task started just before) with its
                // reconcile still queued: the session's I/O is handled before queued work, so
                // remove it now rather than start it for an instant.
                remove(slot);
            }
        }
    }

    /** Refreshes every started task still attached and claimed, in attach order. */
    void refreshAll() {
        for (TaskSlot slot : List.copyOf(order)) {
            if (slot.context() != null && slots.get(slot.task()) == slot && slot.task().isClaimedBy(owner)) {
                safely(slot.task(), "refresh", () -> slot.task().refresh(slot.context()));
            }
        }
    }

    /** Stops every started task (the session ended); they stay attached. */
    void stopAll() {
        for (TaskSlot slot : List.copyOf(order)) {
            stop(slot);
        }
    }

    /** Releases and removes every task (the manager closes), in attach order. */
    void releaseAll() {
        for (TaskSlot slot : List.copyOf(order)) {
            releaseQuietly(slot.task());
            remove(slot);
        }
    }

    /**
     * @param task a task, claimed by this manager or not; any thread
     * @return whether it was claimed by this manager and is now released
     */
    boolean releaseQuietly(RegistryTask task) {
        try {
            task.release(owner);
            return true;
        } catch (IllegalStateException notOurs) {
            return false;
        }
    }

    private TaskSlot add(RegistryTask task, LiveSession startIn) {
        TaskSlot slot = new TaskSlot(engine, task, resources.serialExecutor(task.toString()));
        slots.put(task, slot);
        order.add(slot);
        metrics.attached(task);
        if (task instanceof ManagedTask) {
            safely(task, "attached", () -> ((ManagedTask) task).attached(slot));
        }
        if (startIn != null) {
            start(slot, startIn, Holdings.lastRead());
        }
        return slot;
    }

    private void remove(TaskSlot slot) {
        slots.remove(slot.task());
        order.remove(slot);
        metrics.detached(slot.task());
        stop(slot);
        if (slot.task() instanceof ManagedTask) {
            safely(slot.task(), "detached", ((ManagedTask) slot.task())::detached);
        }
    }

    private void start(TaskSlot slot, LiveSession live, long startedAfterRead) {
        SlotContext started = new SlotContext(engine, slot, live, vertx(), startedAfterRead);
        slot.context(started);
        safely(slot.task(), "start", () -> slot.task().start(started));
    }

    private void stop(TaskSlot slot) {
        SlotContext started = slot.context();
        if (started != null) {
            started.invalidate();
            slot.context(null);
            safely(slot.task(), "stop", slot.task()::stop);
        }
    }

    private Vertx vertx() {
        return resources.vertx();
    }

    private static void safely(RegistryTask task, String what, Runnable call) {
        UserCode.run(LOG, () -> what + " of task " + task, call);
    }
}
