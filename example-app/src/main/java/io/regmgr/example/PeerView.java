package io.regmgr.example;

import io.regmgr.ChangeOrigin;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.ServiceChange;
import io.regmgr.cdi.ServiceRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services of our group that speak HTTP (ourselves included), kept current by the monitor's
 * events: each entry with its attributes and the time of its last change.
 */
@ApplicationScoped
@RegistryMonitor(name = PeerView.MONITOR, filter = {"group=${app.group}", "proto=http"})
public class PeerView {
    /** The monitor's name. */
    public static final String MONITOR = "peers";

    /**
     * One service as last seen.
     *
     * @param name its name
     * @param attributes its attributes
     * @param lastChange when it last changed
     * @param origin why that change was reported
     */
    public record Peer(String name, Map<String, String> attributes, Instant lastChange, ChangeOrigin origin) {
    }

    /**
     * Whether the registry is reachable, as last reported.
     *
     * @param connected whether it is
     * @param since when that changed, or null if it never did
     */
    public record Connection(boolean connected, Instant since) {
    }

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private volatile Connection connection = new Connection(false, null);

    void changed(@Observes @Monitored(MONITOR) ServiceChange change) {
        if (change instanceof ServiceRemoved) {
            peers.remove(change.name());
        } else {
            peers.put(change.name(), new Peer(change.name(), change.service().attributes().asMap(), change.at(), change.origin()));
        }
    }

    void up(@Observes RegistryConnected event) {
        connection = new Connection(true, event.status().since());
    }

    void down(@Observes RegistryDisconnected event) {
        connection = new Connection(false, event.status().since());
    }

    /** @return the services seen, by name */
    public List<Peer> peers() {
        return peers.values().stream().sorted(Comparator.comparing(Peer::name)).toList();
    }

    /** @return the registry connection as last reported */
    public Connection connection() {
        return connection;
    }
}
