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

/**
 * Fires the runtime's events to the application's observers, each observer isolated from the
 * others: the observer methods are resolved and notified one by one (in priority order), so one
 * that throws is logged and the rest still get the event, which {@code Event.fire} would not do.
 * Asynchronous observers ({@code @ObservesAsync}) get it through {@code fireAsync}. After
 * {@link #close()} events are dropped: the application is stopping. Thread-safe.
 *
 * <p>Observers are notified without {@code EventMetadata} (they are not reached through
 * {@code Event}); everything an observer needs is in the event record.
 */
final class CdiEventSink implements EventSink {
    private static final System.Logger LOG = System.getLogger(CdiEventSink.class.getName());
    private static final Annotation[] NONE = {};

    private final BeanManager beanManager;
    private volatile boolean closed;

    CdiEventSink(BeanManager beanManager) {
        this.beanManager = beanManager;
    }

    @Override
    public void serviceChanged(ServiceChange change) {
        fire(change, Monitored.Literal.of(change.monitor()));
    }

    @Override
    public void connected(RegistryConnected event) {
        fire(event, NONE);
    }

    @Override
    public void disconnected(RegistryDisconnected event) {
        fire(event, NONE);
    }

    /** Drops every later event. */
    void close() {
        closed = true;
    }

    private void fire(Object event, Annotation... qualifiers) {
        if (closed) {
            LOG.log(Level.DEBUG, () -> "application stopping, event not delivered: " + event);
            return;
        }
        List<ObserverMethod<? super Object>> observers = new ArrayList<>(beanManager.resolveObserverMethods(event, qualifiers));
        observers.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        boolean async = false;
        for (ObserverMethod<? super Object> observer : observers) {
            if (observer.isAsync()) {
                async = true;
            } else {
                notify(observer, event);
            }
        }
        if (async) {
            beanManager.getEvent().select(qualifiers).fireAsync(event).exceptionally(failure -> {
                LOG.log(Level.WARNING, "an asynchronous observer of " + event + " threw", failure);
                return null;
            });
        }
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
