package io.regmgr.runtime.cdi;

import io.regmgr.Monitor;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.core.ManagerObserver;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * The library's application-scoped bean, registered by either CDI front end (the jar is not a
 * bean archive): it owns the application's {@link RegistryRuntime}, starts it and stops it with
 * the application, and produces the injectable {@link RegistryManager}.
 *
 * <p>The runtime starts when first needed: at the latest on
 * {@code @Initialized(ApplicationScoped.class)} at {@link #START_PRIORITY}, sooner if a bean asks
 * for a handle or the manager sooner (health checks do not start it: they report it not started).
 * It stops on {@code @BeforeDestroyed(ApplicationScoped.class)} at {@link #STOP_PRIORITY}:
 * services are unregistered first, then the manager closes. Its metrics go to the runtime's
 * {@code OpenTelemetry} bean when there is one ({@link CdiTelemetry}). Thread-safe.
 */
@ApplicationScoped
class RegMgrBeans {
    /**
     * When the runtime starts: after the platform has started (Helidon starts its web server at
     * {@code PLATFORM_AFTER + 100}), so that peers that find our services can reach them.
     */
    static final int START_PRIORITY = Interceptor.Priority.PLATFORM_AFTER + 200;
    /** When the runtime stops: among the very first, so that peers stop using our services at once. */
    static final int STOP_PRIORITY = Interceptor.Priority.PLATFORM_BEFORE;

    @Inject
    RegMgrDeployment deployment;
    @Inject
    BeanManager beanManager;

    private RegistryRuntime runtime;
    private ManagerObserver.Factory metrics;
    private CdiEventSink sink;
    private volatile boolean stopped;

    /** @return the runtime, started now if it was not yet */
    synchronized RegistryRuntime runtime() {
        if (stopped) {
            throw new IllegalStateException("RegMgr has stopped with the application");
        }
        if (runtime == null) {
            sink = new CdiEventSink(beanManager, ForkJoinPool.commonPool());
            metrics = CdiTelemetry.lookup(beanManager);
            runtime = RegistryRuntime.start(deployment.settings(), deployment.model(), sink, "regmgr", metrics);
        }
        return runtime;
    }

    /** @return the runtime if it has started (health checks must not start it: Helidon calls them at boot) */
    synchronized Optional<RegistryRuntime> started() {
        return Optional.ofNullable(runtime);
    }

    void started(@Observes @Priority(START_PRIORITY) @Initialized(ApplicationScoped.class) Object event) {
        runtime();
    }

    /** Once the runtime is fully up, its OpenTelemetry can be handed out everywhere (Quarkus: only now). */
    void bindMetrics(@Observes Startup event) {
        ManagerObserver.Factory m;
        synchronized (this) {
            m = metrics;
        }
        if (m instanceof DeferredMetrics deferred) {
            deferred.retry();
        }
    }

    void stopping(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(STOP_PRIORITY)
            @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (runtime != null) {
            runtime.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Produces
    @ApplicationScoped
    RegistryManager manager() {
        return runtime().manager();
    }

    ServiceRegistration registration(String id) {
        return runtime().registration(id);
    }

    Monitor monitor(String name) {
        return runtime().monitor(name);
    }

    HealthReport readiness() {
        return started().map(RegistryRuntime::readiness)
                .orElseGet(() -> new HealthReport(false, Map.of("connection", stopped ? "CLOSED" : "NOT_STARTED")));
    }

    HealthReport liveness() {
        return started().map(RegistryRuntime::liveness)
                .orElseGet(() -> new HealthReport(!stopped, Map.of("connection", stopped ? "CLOSED" : "NOT_STARTED")));
    }
}
