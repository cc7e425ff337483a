package io.regmgr.runtime.core;

import io.regmgr.ConnectionListener;
import io.regmgr.ConnectionStatus;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistryManager;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.Subscription;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistryTask;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The {@link RegistryManager}: one connection loop and the tasks attached to it, all on one Vert.x
 * context. Build it with {@link RegistryManagers}.
 *
 * <p><b>Threading.</b> The state lives on one Vert.x context and needs no locks; public methods may
 * be called from any thread and hop onto it ({@link #attach} and {@link #detach} check ownership at
 * once, then act on the context). Task callbacks run on the context; user code (monitor and status
 * listeners, completions of the stages this manager returns) runs on per-task serial executors over
 * a thread pool the manager creates, never on the event loop: a listener that throws is logged, one
 * that blocks holds back only its own task. The context is a new event-loop context of the Vert.x
 * instance, or the caller's context when the manager is built on a Vert.x thread.
 *
 * <p><b>Status.</b> {@link #status()} is current at any time; {@code lastContact} moves with every
 * answer and event of the registry. {@link #onConnection} listeners hear of changes of state,
 * attempt count or cause, not of every contact.
 *
 * <p><b>Registrations</b> carry the manager's instance token (attribute {@code regmgr-instance},
 * a random UUID; see {@link ManagerOptions.Builder#instanceTokenAttribute}), so that
 * {@link ServiceRegistration#entry()} includes it and a stale entry left by a lost 9P connection
 * is provably this manager's and removed at once instead of waited out. As a session starts,
 * monitors and lookups read the registry only once every registration has had its first answer,
 * so that they see this manager's own services again rather than report them removed and added.
 *
 * <p><b>Lifecycle.</b> Started by its factory; connects at once and keeps reconnecting until
 * {@link #close()}, which detaches every task (unregistering services), closes the session, then
 * closes what the manager created: its thread pool, its Vert.x instance if it made one, and the
 * connector only if the factory made it. After {@code close()} no timer or thread of the manager
 * remains and nothing static refers to it; {@link #attach} and the task factories throw
 * {@link IllegalStateException}.
 *
 * <p><b>An unreferenced manager is closed by the garbage collector.</b> {@code close()} is the
 * normal way to end a manager. As in the original Inferno::RegMgr ("if you lose all references to
 * the returned object all attached tasks will be stopped and detached"), a manager the application
 * no longer references is closed just as {@code close()} would (services unregistered, connection
 * and what the manager created closed), at a time the garbage collector chooses, possibly never
 * if the heap has no need to collect it. This object is only the public face: the connection loop
 * and the tasks live in an engine that Vert.x, the connector and the tasks refer to, and that
 * refers to this object only weakly; a {@link Cleaner} closes the engine once this object is
 * unreachable. Hence:
 * <ul>
 * <li>Tasks do not keep their manager alive: an application that still holds a registration or a
 *     monitor but not its manager loses the manager; {@link RegistryTask#manager()} then becomes
 *     empty, the task is detached by the close (a registration becomes {@code DETACHED}, a lookup
 *     under way fails) and may then be attached to another manager.</li>
 * <li>What the application hands the manager may keep it alive: a listener (of a monitor, of the
 *     status, of a registration) or a custom task that refers to the manager keeps it reachable
 *     from its own engine, so such a manager is only ended by {@code close()}.</li>
 * <li>The cleaning runs on one daemon thread, {@code regmgr-cleaner}, shared by every manager of
 *     the JVM; it never blocks on a manager. {@code close()} unregisters the manager from it.</li>
 * </ul>
 */
public final class DefaultRegistryManager implements RegistryManager {
    private final ManagerEngine engine;
    private final Cleaner.Cleanable cleanable;

    DefaultRegistryManager(RegistryConnector connector, boolean ownsConnector, ManagerOptions options) {
        this.engine = new ManagerEngine(connector, ownsConnector, options, new RegistryTask.Owner(this));
        this.cleanable = Collector.CLEANER.register(this, new CloseEngine(engine));
    }

    /** Starts connecting; once. */
    void start() {
        try {
            engine.start();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void attach(RegistryTask task) {
        try {
            engine.attach(task);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void detach(RegistryTask task) {
        try {
            engine.detach(task);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public ServiceRegistration register(ServiceEntry entry) {
        try {
            return engine.register(entry);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public Monitor monitor(Filter filter, MonitorListener listener) {
        try {
            return engine.monitor(null, filter, listener);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public Monitor monitor(String name, Filter filter, MonitorListener listener) {
        try {
            return engine.monitor(RegistryNames.checkMonitorName(name), filter, listener);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public CompletionStage<List<ServiceEntry>> lookup(Filter filter) {
        try {
            return engine.lookup(filter);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public ConnectionStatus status() {
        return engine.status();
    }

    @Override
    public String registry() {
        return engine.registry();
    }

    @Override
    public Subscription onConnection(ConnectionListener listener) {
        return engine.onConnection(listener);
    }

    /**
     * Detaches every task (services are unregistered), closes the session and releases what the
     * manager created. Idempotent. Off an event loop it waits, at most the close timeout, until the
     * connection is closed; on an event loop (from a task) it returns at once and finishes in the
     * background. A listener still running is not interrupted. This is the normal way to end a
     * manager; one that is no longer referenced is closed the same way by the garbage collector,
     * at an unspecified time (see the class comment).
     */
    @Override
    public void close() {
        try {
            engine.shutDown();
            cleanable.clean(); // nothing left to clean: only unregisters from the Cleaner
            engine.awaitClosed();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return "DefaultRegistryManager[" + engine.describe() + "]";
    }

    /**
     * The cleaning action: closes the engine of a manager that became unreachable. It refers to the
     * engine only: a reference to the manager here would keep it reachable for ever.
     */
    private static final class CloseEngine implements Runnable {
        private final ManagerEngine engine;

        CloseEngine(ManagerEngine engine) {
            this.engine = engine;
        }

        @Override
        public void run() {
            engine.closeUnreferenced();
        }
    }

    /** The Cleaner of every manager, made with the first one: one daemon thread for the JVM. */
    private static final class Collector {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "regmgr-cleaner");
            t.setDaemon(true);
            return t;
        });
    }
}
