package io.regmgr.runtime.cdi;

import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.ServiceChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An application bean that records every registry event it observes, and the threads they came on. */
@ApplicationScoped
public class Recorder {
    private final List<ServiceChange> changes = new CopyOnWriteArrayList<>();
    private final List<Object> connection = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    void changed(@Observes ServiceChange change) {
        threads.add(Thread.currentThread().getName());
        changes.add(change);
    }

    void connected(@Observes RegistryConnected event) {
        connection.add(event);
    }

    void disconnected(@Observes RegistryDisconnected event) {
        connection.add(event);
    }

    /** @return every monitor's changes, in arrival order */
    public List<ServiceChange> changes() {
        return List.copyOf(changes);
    }

    /** @return connection events (RegistryConnected, RegistryDisconnected), in arrival order */
    public List<Object> connection() {
        return List.copyOf(connection);
    }

    /** @return the names of the threads events arrived on */
    public List<String> threads() {
        return List.copyOf(threads);
    }

    /**
     * @param monitor a monitor name
     * @return that monitor's changes, in order
     */
    public List<ServiceChange> of(String monitor) {
        return changes.stream().filter(c -> c.monitor().equals(monitor)).toList();
    }
}
