package io.regmgr.runtime.cdi;

import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.ServiceChange;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;

import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fires the runtime's events to the application's observers, each observer isolated from the
 * others: the observer methods are resolved and notified one by one (in priority order), so one
 * that throws is logged and the rest still get the event, which {@code Event.fire} would not do.
 * Asynchronous observers ({@code @ObservesAsync}) get it through {@code fireAsync}. After
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
    private final Map<Route, Observers> routes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** An event type and the monitor it is about (null for connection events). */
    private record Route(Class<?> type, String monitor) {
    }

    /** The synchronous observers of a route in priority order, and whether asynchronous ones exist. */
    private record Observers(Annotation[] qualifiers, List<ObserverMethod<? super Object>> sync, boolean async) {
    }

    CdiEventSink(BeanManager beanManager) {
        this.beanManager = beanManager;
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
        if (observers.async()) {
            beanManager.getEvent().select(observers.qualifiers()).fireAsync(event).exceptionally(failure -> {
                LOG.log(Level.WARNING, "an asynchronous observer of " + event + " threw", failure);
                return null;
            });
        }
    }

    private Observers resolve(Object event, String monitor) {
        Annotation[] qualifiers = monitor == null ? NONE : new Annotation[] {Monitored.Literal.of(monitor)};
        List<ObserverMethod<? super Object>> all = new ArrayList<>(beanManager.resolveObserverMethods(event, qualifiers));
        all.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        List<ObserverMethod<? super Object>> sync = new ArrayList<>();
        boolean async = false;
        for (ObserverMethod<? super Object> observer : all) {
            if (observer.isAsync()) {
                async = true;
            } else {
                sync.add(observer);
            }
        }
        return new Observers(qualifiers, List.copyOf(sync), async);
    }

    private static void notify(ObserverMethod<? super Object> observer, Object event) {
        try {
            observer.notify(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "observer " + describe(observer) + " threw on " + event
                    + "; the other observers still get the event", e);
        }
    }

    private static String describe(ObserverMethod<?> observer) {
        return observer.getBeanClass().getName() + " (observing " + observer.getObservedType().getTypeName()
                + (observer.getObservedQualifiers().isEmpty() ? "" : " " + observer.getObservedQualifiers()) + ")";
    }
}
