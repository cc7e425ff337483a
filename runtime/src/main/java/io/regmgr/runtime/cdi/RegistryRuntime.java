package io.regmgr.runtime.cdi;

import io.regmgr.ConnectionState;
import io.regmgr.ConnectionStatus;
import io.regmgr.Monitor;
import io.regmgr.RegistrationState;
import io.regmgr.RegistrationStatus;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceRegistration;
import io.regmgr.Subscription;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredMonitor;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredService;
import io.regmgr.runtime.auth.link.AuthSettings;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.runtime.server.RegistryServerException;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What runs for a CDI application, framework-free: the embedded registry if enabled, the manager,
 * one registration per declared service and one monitor per declared monitor, their events handed
 * to an {@link EventSink}, and the health reports. A CDI extension starts one per application.
 *
 * <p>Lifecycle: {@link #start} starts everything (the manager connects in the background);
 * {@link #close()} unregisters the services first, then closes the manager (monitors, session)
 * and the embedded registry. Thread-safe.
 */
public final class RegistryRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RegistryRuntime.class.getName());

    private final EmbeddedRegistry embedded;
    private final RegistryManager manager;
    private final String registry;
    private final AuthSettings authentication;
    private final Subscription connectionEvents;
    private final Map<String, ServiceRegistration> registrations = new LinkedHashMap<>();
    private final Map<String, Monitor> monitors = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RegistryRuntime(Settings settings, DeclarationModel model, EventSink sink, String managerName,
            ManagerObserver.Factory metrics) {
        this.embedded = settings.embedded().enabled() ? startEmbedded(settings) : null;
        RegistryManager m = null;
        try {
            var connector = settings.connectorOptions(embedded);
            this.authentication = connector.authentication();
            m = settings.transport() == Settings.Transport.BRIDGE
                    ? RegistryManagers.bridge(connector, settings.managerOptions(managerName, metrics))
                    : RegistryManagers.styx(connector, settings.managerOptions(managerName, metrics));
            this.registry = connector.address() + " (" + (settings.transport() == Settings.Transport.BRIDGE
                    ? "line bridge" : "9P2000") + (embedded != null ? ", embedded" + profile(embedded) : "") + ")";
            this.manager = m;
            this.connectionEvents = m.onConnection(new ConnectionEvents(sink));
            for (DeclaredService s : model.services()) {
                registrations.put(s.id(), m.register(s.entry()));
            }
            Clock clock = Clock.systemUTC();
            for (DeclaredMonitor d : model.monitors()) {
                monitors.put(d.id(), m.monitor(d.id(), d.filter(), new MonitorEvents(d.id(), sink, clock)));
            }
        } catch (RuntimeException e) {
            if (m != null) {
                m.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * Starts the embedded registry (which releases what it made if it cannot start); its failure
     * says what to configure instead.
     */
    private static EmbeddedRegistry startEmbedded(Settings settings) {
        try {
            return settings.embedded().build(settings.transport()).start();
        } catch (RegistryServerException e) {
            String styx = settings.embedded().styx();
            throw new RegistryServerException("cannot start the embedded registry (" + RegMgrConfig.EMBEDDED_ENABLED
                    + "=true): " + e.getMessage() + ". Set " + RegMgrConfig.EMBEDDED_STYX + " to another address than '"
                    + styx + "' (e.g. REGMGR_EMBEDDED_STYX='tcp!127.0.0.1!6676'), or use the registry that is there:"
                    + " REGMGR_EMBEDDED_ENABLED=false REGMGR_ADDRESS='" + styx + "'", e);
        }
    }

    /**
     * Starts the embedded registry (if enabled, blocking until it listens), the manager, every
     * declared service and monitor.
     *
     * @param settings how to reach the registry
     * @param model what the application declared
     * @param sink where the events go
     * @param managerName the manager's name, the prefix of its threads' names
     * @return the running runtime
     * @throws io.regmgr.RegistryException if the embedded registry cannot start (a port in use)
     */
    public static RegistryRuntime start(Settings settings, DeclarationModel model, EventSink sink, String managerName) {
        return start(settings, model, sink, managerName, ManagerObserver.Factory.NONE);
    }

    /**
     * As {@link #start(Settings, DeclarationModel, EventSink, String)}, with metrics.
     *
     * @param settings how to reach the registry
     * @param model what the application declared
     * @param sink where the events go
     * @param managerName the manager's name, the prefix of its threads' names
     * @param metrics what observes the manager for metrics
     * @return the running runtime
     * @throws io.regmgr.RegistryException if the embedded registry cannot start (a port in use)
     */
    public static RegistryRuntime start(Settings settings, DeclarationModel model, EventSink sink, String managerName,
            ManagerObserver.Factory metrics) {
        RegistryRuntime runtime = new RegistryRuntime(settings, model, sink, managerName, metrics);
        LOG.log(Level.INFO, () -> "RegMgr started: registry " + runtime.registry + ", " + runtime.registrations.size()
                + " services, " + runtime.monitors.size() + " monitors");
        return runtime;
    }

    /** @return the manager (do not close it: {@link #close()} does) */
    public RegistryManager manager() {
        return manager;
    }

    /** @return the embedded registry, if enabled */
    public Optional<EmbeddedRegistry> embedded() {
        return Optional.ofNullable(embedded);
    }

    /**
     * @param id a declared service's id
     * @return its registration
     * @throws IllegalArgumentException if no service has that id
     */
    public ServiceRegistration registration(String id) {
        ServiceRegistration r = registrations.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no service with id '" + id + "' is declared (declared: " + registrations.keySet() + ")");
        }
        return r;
    }

    /**
     * @param name a declared monitor's name
     * @return the monitor
     * @throws IllegalArgumentException if no monitor has that name
     */
    public Monitor monitor(String name) {
        Monitor m = monitors.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no monitor named '" + name + "' is declared (declared: " + monitors.keySet() + ")");
        }
        return m;
    }

    /**
     * Readiness: up only when connected, every service registered and every monitor synced. The
     * data names what is not, so that an unreachable registry (down, with the connection's error)
     * and an empty one (up, monitors synced with 0 services) look different.
     *
     * @return the report
     */
    public HealthReport readiness() {
        ConnectionStatus status = manager.status();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("registry", registry);
        String adapted = adapted(manager.registry());
        if (adapted != null) {
            data.put("registry-adapted", adapted);
        }
        data.put("connection", status.state().name());
        AuthReport.describe(authentication, status, data);
        if (!status.isConnected()) {
            status.lastError().ifPresent(e -> data.put("error", String.valueOf(e.getMessage())));
            data.put("attempts", (long) status.attempt());
        }
        List<String> pending = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        registrations.forEach((id, r) -> {
            RegistrationStatus s = r.status();
            if (s.state() != RegistrationState.REGISTERED) {
                pending.add(id + " (" + r.name() + "): " + s.state()
                        + s.lastError().map(e -> ": " + e.getMessage()).orElse(""));
            }
            if (s.state() == RegistrationState.CONFLICT) {
                conflicts.add(id + " (" + r.name() + ")");
            }
        });
        data.put("services", registrations.size() - pending.size() + "/" + registrations.size() + " registered");
        if (!pending.isEmpty()) {
            data.put("services-not-registered", String.join("; ", pending));
        }
        if (!conflicts.isEmpty()) {
            data.put("services-in-conflict", String.join(", ", conflicts));
        }
        List<String> unsynced = new ArrayList<>();
        monitors.forEach((name, m) -> {
            if (m.isSynced()) {
                data.put("monitor." + name, (long) m.view().size());
            } else {
                unsynced.add(name);
            }
        });
        if (!unsynced.isEmpty()) {
            data.put("monitors-not-synced", String.join(", ", unsynced));
        }
        return new HealthReport(status.isConnected() && pending.isEmpty() && unsynced.isEmpty(), data);
    }

    /** @return {@code ", exported profile"} for a registry not in the default profile, else empty */
    private static String profile(EmbeddedRegistry registry) {
        return registry.profile() == RegistryProfile.DEFAULT ? "" : ", " + registry.profile().name().toLowerCase(Locale.ROOT) + " profile";
    }

    /**
     * @param description the connector's description now
     * @return what the connector adapted since it was made (its description's parenthesised part,
     *     e.g. an msize lowered after a size refusal), or null
     */
    private static String adapted(String description) {
        int open = description.indexOf(" (");
        return open < 0 || !description.endsWith(")") ? null : description.substring(open + 2, description.length() - 1);
    }

    /** @return liveness: up while the manager runs (connected or reconnecting), down once closed */
    public HealthReport liveness() {
        ConnectionStatus status = manager.status();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connection", status.state().name());
        data.put("reconnects", status.reconnects());
        return new HealthReport(!closed.get() && status.state() != ConnectionState.CLOSED, data);
    }

    /**
     * Unregisters every service (detaching its registration), then closes the manager (monitors,
     * session, its threads) and the embedded registry. Goes on past failures. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<RuntimeException> failures = new ArrayList<>();
        registrations.values().stream().filter(r -> r.manager().isPresent())
                .forEach(r -> attempt(() -> manager.detach(r), failures));
        attempt(connectionEvents::close, failures);
        attempt(manager::close, failures);
        if (embedded != null) {
            attempt(embedded::close, failures);
        }
        failures.forEach(e -> LOG.log(Level.WARNING, "RegMgr: a failure while stopping", e));
        LOG.log(Level.INFO, () -> "RegMgr stopped: " + registrations.size() + " services unregistered");
    }

    private static void attempt(Runnable action, List<RuntimeException> failures) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
