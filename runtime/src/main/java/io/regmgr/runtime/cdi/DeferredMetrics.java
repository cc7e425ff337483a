package io.regmgr.runtime.cdi;

import io.regmgr.ChangeOrigin;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.core.ObservedManager;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Metrics bound to the runtime's OpenTelemetry bean as soon as the runtime can hand it out: at
 * once where it can (Helidon, OpenLiberty, Weld), else when {@link #retry()} is called on CDI's
 * {@code Startup} event (Quarkus initialises its OpenTelemetry after CDI has started the manager).
 * Until bound, events are not recorded, except sessions opened, which are counted and recorded on
 * binding; gauges read the manager's state, so they are complete from the first collection. A
 * binding that fails with a {@link LinkageError} (an API regmgr-runtime cannot link) turns that
 * manager's metrics off for good; nothing else fails. Thread-safe.
 */
final class DeferredMetrics implements ManagerObserver.Factory {
    private static final System.Logger LOG = System.getLogger(DeferredMetrics.class.getName());

    private final Supplier<ManagerObserver.Factory> bind;
    private final List<Binding> waiting = new CopyOnWriteArrayList<>();

    /** @param bind makes the real factory; throws while the runtime cannot yet hand its OpenTelemetry out */
    DeferredMetrics(Supplier<ManagerObserver.Factory> bind) {
        this.bind = bind;
    }

    @Override
    public ManagerObserver open(ObservedManager manager) {
        Binding b = new Binding(manager);
        if (!b.tryBind()) {
            waiting.add(b);
        }
        return b;
    }

    /** Binds every manager not yet bound (CDI's {@code Startup} event). */
    void retry() {
        for (Binding b : waiting) {
            if (b.tryBind() || b.closed || b.unbindable) {
                waiting.remove(b);
            }
        }
    }

    /** One manager's observer: forwards to the real one once bound. */
    private final class Binding implements ManagerObserver {
        private final ObservedManager manager;
        private volatile ManagerObserver target = ManagerObserver.NONE;
        private volatile boolean bound;
        private volatile boolean closed;
        /** Binding failed for good (the API cannot be linked): never tried again. */
        private volatile boolean unbindable;
        private int connectsBefore;
        private int reconnectsBefore;

        Binding(ObservedManager manager) {
            this.manager = manager;
        }

        synchronized boolean tryBind() {
            if (bound || closed || unbindable) {
                return bound;
            }
            try {
                ManagerObserver real = bind.get().open(manager);
                for (int i = 0; i < connectsBefore; i++) {
                    real.connected(i >= connectsBefore - reconnectsBefore);
                }
                target = real;
                bound = true;
                LOG.log(Level.INFO, () -> "RegMgr metrics (regmgr.*) of manager " + manager.name() + " go to the runtime's OpenTelemetry");
            } catch (RuntimeException notYet) {
                LOG.log(Level.DEBUG, () -> "RegMgr metrics of manager " + manager.name() + " wait for the runtime's OpenTelemetry: " + notYet);
            } catch (LinkageError e) {
                unbindable = true;
                LOG.log(Level.WARNING, "RegMgr metrics of manager " + manager.name() + " are off: the runtime's OpenTelemetry"
                        + " cannot be linked from regmgr-runtime", e);
            }
            return bound;
        }

        @Override
        public void connected(boolean reconnect) {
            if (!bound) {
                synchronized (this) {
                    if (!bound) {
                        connectsBefore++;
                        reconnectsBefore += reconnect ? 1 : 0;
                        return;
                    }
                }
            }
            target.connected(reconnect);
        }

        @Override
        public void restored(long nanos) {
            target.restored(nanos);
        }

        @Override
        public void probeFailed() {
            target.probeFailed();
        }

        @Override
        public void registrationRefused(String reason) {
            target.registrationRefused(reason);
        }

        @Override
        public void registrationRepaired(String kind) {
            target.registrationRepaired(kind);
        }

        @Override
        public void delivered(String monitor, String kind, ChangeOrigin origin, boolean failed) {
            target.delivered(monitor, kind, origin, failed);
        }

        @Override
        public void changeDelivered(String monitor, long nanos) {
            target.changeDelivered(monitor, nanos);
        }

        @Override
        public void read(String kind, long nanos, int services, long bytes, boolean failed) {
            target.read(kind, nanos, services, bytes, failed);
        }

        @Override
        public synchronized void close() {
            closed = true;
            target.close();
        }
    }
}
