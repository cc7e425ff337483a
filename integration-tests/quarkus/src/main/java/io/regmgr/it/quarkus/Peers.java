package io.regmgr.it.quarkus;

import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.ServiceAdded;
import io.regmgr.cdi.ServiceRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/** The services of our group, kept from the monitor's CDI events. */
@ApplicationScoped
@RegistryMonitor(name = Peers.MONITOR, filter = "group=${app.group}")
public class Peers {
    /** The monitor's name. */
    public static final String MONITOR = "peers";

    private final Set<String> names = new ConcurrentSkipListSet<>();

    void added(@Observes @Monitored(MONITOR) ServiceAdded added) {
        names.add(added.name());
    }

    void removed(@Observes @Monitored(MONITOR) ServiceRemoved removed) {
        names.remove(removed.name());
    }

    /** @return the names seen, sorted */
    public Set<String> names() {
        return new TreeSet<>(names);
    }
}
