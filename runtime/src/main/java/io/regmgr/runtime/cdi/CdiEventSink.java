package io.regmgr.runtime.cdi;

import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.ServiceChange;
import jakarta.enterprise.inject.spi.BeanManager;
import io.regmgr.runtime.core.UserCode;
import jakarta.enterprise.inject.spi.ObserverMethod;

import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Fires the runtime's events to the application's observers, each observer isolated from the
 * others: the observer methods are resolved and notified one by one (in priority order), so one
 * that throws is logged and the rest still get the event, which {@code Event.fire} would not do.
 * Whatever an observer throws (checked exceptions and {@link Error}s too, which ArC passes through
 * where Weld wraps them in {@code ObserverException}) is logged with the observer and the event.
 * Asynchronous observers ({@code @ObservesAsync}) are notified one by one on the given executor,
 * each isolated from the others the same way. After
 * {@link #close()} events are dropped: the application is stopping. Thread-safe.
 *
 * <p>Observers are notified without {@code EventMetadata} (they are not reached through
 * {@code Event}); everything an observer needs is in the event record.
 *
 * <p>The observers of each event type and monitor are resolved once and kept: the set of observer
 * methods is fixed at deployment, and the event types are final records.
 */
final class CdiEventSink implements EventSink {
    private static final System.Logger LOG = System.getLogger(CdiEventSink.class.getName());
    private static final Annotation[] NONE = {};

    private final BeanManager beanManager;
    private final Executor async;
    private final Map<Route, Observers> routes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** An event type and the monitor it is about (null for connection events). */
    private record Route(Class<?> type, String monitor) {
    }

    /** The synchronous and the asynchronous observers of a route, each in priority order. */
    private record Observers(List<ObserverMethod<? super Object>> sync, List<ObserverMethod<? super Object>> async) {
    }

    /**
     * @param beanManager resolves the observers
     * @param async where asynchronous observers run, each notification its own submission
     */
    CdiEventSink(BeanManager beanManager, Executor async) {
        this.beanManager = beanManager;
        this.async = async;
    }

    @Override
    public void serviceChanged(ServiceChange change) {
        fire(change, change.monitor());
    }

    @Override
    public void connected(RegistryConnected event) {
        fire(event, null);
    }

    @Override
    public void disconnected(RegistryDisconnected event) {
        fire(event, null);
    }

    /** Drops every later event. */
    void close() {
        closed = true;
    }

    private void fire(Object event, String monitor) {
        if (closed) {
            LOG.log(Level.DEBUG, () -> "application stopping, event not delivered: " + event);
            return;
        }
        Observers observers = routes.computeIfAbsent(new Route(event.getClass(), monitor), route -> resolve(event, monitor));
        for (ObserverMethod<? super Object> observer : observers.sync()) {
            notify(observer, event);
        }
        for (ObserverMethod<? super Object> observer : observers.async()) {
            // One by one, each on its own submission: fireAsync would let one observer's Error
            // (passed through by ArC) keep the event from the others.
            async.execute(() -> notify(observer, event));
        }
    }

    private Observers resolve(Object event, String monitor) {
        Annotation[] qualifiers = monitor == null ? NONE : new Annotation[] {Monitored.Literal.of(monitor)};
        List<ObserverMethod<? super Object>> all = new ArrayList<>(beanManager.resolveObserverMethods(event, qualifiers));
        all.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        List<ObserverMethod<? super Object>> sync = new ArrayList<>();
        List<ObserverMethod<? super Object>> async = new ArrayList<>();
        for (ObserverMethod<? super Object> observer : all) {
            (observer.isAsync() ? async : sync).add(observer);
        }
        return new Observers(List.copyOf(sync), List.copyOf(async));
    }

    private static void notify(ObserverMethod<? super Object> observer, Object event) {
        // ArC passes checked exceptions and Errors through where Weld wraps them: catch them all.
        UserCode.run(LOG, () -> "observer " + describe(observer) + " on " + event, () -> observer.notify(event));
    }

    private static String describe(ObserverMethod<?> observer) {
        return observer.getBeanClass().getName() + " (observing " + observer.getObservedType().getTypeName()
                + (observer.getObservedQualifiers().isEmpty() ? "" : " " + observer.getObservedQualifiers()) + ")";
    }
}
