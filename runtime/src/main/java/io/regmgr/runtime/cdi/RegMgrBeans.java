package io.regmgr.runtime.cdi;

import io.regmgr.Monitor;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceRegistration;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * The library's application-scoped bean, registered by {@link RegMgrExtension} (the jar is not a
 * bean archive): it owns the application's {@link RegistryRuntime}, starts it and stops it with
 * the application, and produces the injectable {@link RegistryManager}.
 *
 * <p>The runtime starts when this bean is first needed: at the latest on
 * {@code @Initialized(ApplicationScoped.class)} at {@link #START_PRIORITY}, sooner if a bean asks
 * for a handle sooner. It stops on {@code @BeforeDestroyed(ApplicationScoped.class)} at
 * {@link #STOP_PRIORITY}: services are unregistered first, then the manager closes.
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

    private static final System.Logger LOG = System.getLogger(RegMgrBeans.class.getName());

    @Inject
    RegMgrExtension extension;
    @Inject
    BeanManager beanManager;

    private RegistryRuntime runtime;
    private CdiEventSink sink;

    @PostConstruct
    void start() {
        sink = new CdiEventSink(beanManager);
        runtime = RegistryRuntime.start(extension.settings(), extension.model(), sink, "regmgr");
    }

    void started(@Observes @Priority(START_PRIORITY) @Initialized(ApplicationScoped.class) Object event) {
        LOG.log(System.Logger.Level.DEBUG, "RegMgr running with the application");
    }

    void stopping(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(STOP_PRIORITY)
            @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stop();
    }

    @PreDestroy
    void stop() {
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
        return runtime.manager();
    }

    ServiceRegistration registration(String id) {
        return runtime.registration(id);
    }

    Monitor monitor(String name) {
        return runtime.monitor(name);
    }

    HealthReport readiness() {
        return runtime.readiness();
    }

    HealthReport liveness() {
        return runtime.liveness();
    }
}
