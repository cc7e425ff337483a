package io.regmgr.runtime.cdi;

import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.otel.OpenTelemetryMetrics;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * Finds the runtime's {@code io.opentelemetry.api.OpenTelemetry} bean (MicroProfile Telemetry 2.0
 * on Helidon and OpenLiberty, {@code quarkus-opentelemetry}) and records the manager's metrics
 * with it. Where regmgr-runtime's class loader does not see the OpenTelemetry API (even if the
 * application does), or no such bean exists, or looking it up fails, the manager records nothing,
 * and nothing fails. Where the runtime cannot hand the bean out yet when the manager starts
 * (Quarkus), {@link DeferredMetrics} binds it later. This class never names an OpenTelemetry type,
 * so it loads without the API. Stateless.
 */
final class CdiTelemetry {
    private static final System.Logger LOG = System.getLogger(CdiTelemetry.class.getName());
    static final String OPEN_TELEMETRY = "io.opentelemetry.api.OpenTelemetry";

    private CdiTelemetry() {
    }

    /**
     * @param beanManager the application's bean manager
     * @return what observes the manager: OpenTelemetry if the runtime provides it, else nothing
     */
    static ManagerObserver.Factory lookup(BeanManager beanManager) {
        Class<?> type = apiClass();
        if (type == null) {
            LOG.log(Level.DEBUG, "RegMgr metrics off: the OpenTelemetry API is not on the class path");
            return ManagerObserver.Factory.NONE;
        }
        try {
            Set<Bean<?>> beans = beanManager.getBeans(type);
            if (beans.isEmpty()) {
                LOG.log(Level.DEBUG, "RegMgr metrics off: no OpenTelemetry bean (add MicroProfile Telemetry to record them)");
                return ManagerObserver.Factory.NONE;
            }
            Bean<?> bean = beanManager.resolve(beans);
            return new DeferredMetrics(() -> OpenTelemetryMetrics.ofInstance(
                    beanManager.getReference(bean, type, beanManager.createCreationalContext(bean))));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "RegMgr metrics off: looking up the OpenTelemetry bean failed", e);
            return ManagerObserver.Factory.NONE;
        }
    }

    /**
     * The API as regmgr-runtime's own class loader sees it: the recording code links against that
     * one, so an API only the application sees (OpenLiberty's {@code mpTelemetry-2.0} without
     * third-party API visibility) is no use, and using it would fail the start with a
     * {@code NoClassDefFoundError}.
     *
     * @return the OpenTelemetry API's entry type, or null if regmgr-runtime cannot see it
     */
    static Class<?> apiClass() {
        Class<?> ours = load(CdiTelemetry.class.getClassLoader());
        if (ours == null && load(Thread.currentThread().getContextClassLoader()) != null) {
            LOG.log(Level.WARNING, "RegMgr metrics off: the application sees the OpenTelemetry API but regmgr-runtime's"
                    + " class loader does not (on OpenLiberty with mpTelemetry-2.0: add <classloader"
                    + " apiTypeVisibility=\"+third-party\"/> to the application in server.xml)");
        }
        return ours;
    }

    private static Class<?> load(ClassLoader loader) {
        try {
            return loader == null ? null : Class.forName(OPEN_TELEMETRY, false, loader);
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
    }
}
