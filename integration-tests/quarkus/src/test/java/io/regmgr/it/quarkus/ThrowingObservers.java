package io.regmgr.it.quarkus;

import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.ServiceAdded;
import io.regmgr.cdi.ServiceChange;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Observers of the app's monitor that throw what ArC passes through unwrapped (an {@link Error}
 * at {@code @Priority(1)}, a declared {@link IOException}, an async Error), beside the observers
 * that must still get every event.
 */
@ApplicationScoped
public class ThrowingObservers {
    private final List<String> late = new CopyOnWriteArrayList<>();
    private final List<String> async = new CopyOnWriteArrayList<>();

    void error(@Observes @Priority(1) @Monitored(Peers.MONITOR) ServiceAdded added) {
        throw new AssertionError("an observer failing with an Error on " + added.name());
    }

    void checked(@Observes @Priority(2) @Monitored(Peers.MONITOR) ServiceChange change) throws IOException {
        throw new IOException("an observer declared to throw IOException, on " + change.name());
    }

    void late(@Observes @Priority(2000) @Monitored(Peers.MONITOR) ServiceAdded added) {
        late.add(added.name());
    }

    void asyncError(@ObservesAsync @Monitored(Peers.MONITOR) ServiceAdded added) {
        throw new AssertionError("an async observer failing with an Error on " + added.name());
    }

    void asyncRecords(@ObservesAsync @Monitored(Peers.MONITOR) ServiceAdded added) {
        async.add(added.name());
    }

    /** @return what the @Priority(2000) observer got, in order */
    public List<String> late() {
        return List.copyOf(late);
    }

    /** @return what the recording async observer got */
    public List<String> async() {
        return List.copyOf(async);
    }
}
