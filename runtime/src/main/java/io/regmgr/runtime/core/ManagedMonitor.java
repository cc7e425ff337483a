package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.ServiceEntry;
import io.regmgr.spi.TaskContext;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in {@link Monitor}: on each start (the first: {@link ChangeOrigin#INITIAL_SYNC}, later:
 * {@link ChangeOrigin#RESYNC} against the view it kept) and after each change
 * ({@link ChangeOrigin#LIVE}) it takes the services matching its filter from the change's reads
 * (shared by every monitor with the same filter: a filtered find, or the index filtered locally,
 * see {@link ReadPlanner}) and reports the difference from its view. A read that fails while the session lives is
 * retried with backoff. A registry restart is a resync like any other.
 *
 * <p>Thread-safety: {@link #view()}, {@link #lastSync()} and {@link #isSynced()} from any thread;
 * the rest on the manager's context. Deltas run on the task's listener executor, in order.
 */
final class ManagedMonitor extends Monitor implements ManagedTask {
    private static final System.Logger LOG = System.getLogger(ManagedMonitor.class.getName());

    private final Filter filter;
    private final String name;
    private final DeltaQueue deltas;
    private final DeliveryClock clock;
    private volatile Map<String, ServiceEntry> view = Map.of();
    private volatile Instant lastSync;
    private volatile boolean synced;
    private TaskContext context;
    private boolean everSynced;
    private int failures;

    /** @param name its name (checked), or null: then its filter's words name it */
    ManagedMonitor(String name, Filter filter, MonitorListener listener) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.name = name;
        this.clock = new DeliveryClock(name());
        this.deltas = new DeltaQueue(Objects.requireNonNull(listener, "listener"), "Monitor" + filter.words(), clock);
    }

    @Override
    public Filter filter() {
        return filter;
    }

    @Override
    public Map<String, ServiceEntry> view() {
        return view;
    }

    @Override
    public Optional<Instant> lastSync() {
        return Optional.ofNullable(lastSync);
    }

    @Override
    public boolean isSynced() {
        return synced;
    }

    @Override
    public void attached(TaskHooks hooks) {
        // Before a session only the metrics change: the view is kept from earlier attachments.
        clock.observe(hooks.metrics());
    }

    @Override
    public void detached() {
        synced = false;
    }

    @Override
    public void start(TaskContext ctx) {
        context = ctx;
        synced = false;
        failures = 0;
        sync(ctx);
    }

    @Override
    public void refresh(TaskContext ctx) {
        sync(ctx);
    }

    @Override
    public void stop() {
        context = null;
        synced = false;
    }

    private void sync(TaskContext ctx) {
        // The cycle's shared read completes on the manager's context: this runs there.
        ctx.find(filter).whenComplete((index, failure) -> {
            if (ctx != context) {
                return;
            }
            if (failure != null) {
                retry(ctx, Hop.unwrap(failure));
            } else {
                apply(ctx, index);
            }
        });
    }

    private void apply(TaskContext ctx, List<ServiceEntry> index) {
        ChangeOrigin origin = !everSynced ? ChangeOrigin.INITIAL_SYNC : synced ? ChangeOrigin.LIVE : ChangeOrigin.RESYNC;
        ViewDiff.Result result = ViewDiff.diff(view, index, filter, origin);
        view = result.view();
        everSynced = true;
        synced = true;
        failures = 0;
        lastSync = Instant.now();
        deltas.offer(result.deltas(), ctx.listenerExecutor());
    }

    /** @return the deltas its listener has still to hear (at most one per service) */
    int backlog() {
        return deltas.backlog();
    }

    @Override
    public String name() {
        return name != null ? name : super.name();
    }

    /** @return the largest backlog so far */
    int peakBacklog() {
        return deltas.peakBacklog();
    }

    private void retry(TaskContext ctx, Throwable failure) {
        if (!ctx.session().isOpen()) {
            return; // the session is ending: the next start syncs
        }
        failures++;
        LOG.log(Level.DEBUG, () -> this + ": index read failed (attempt " + failures + "): " + failure);
        ctx.schedule(ctx.retryDelay(failures), () -> sync(ctx));
    }

    @Override
    public String toString() {
        return "Monitor" + filter.words();
    }
}
