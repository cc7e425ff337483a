package io.regmgr.runtime.cdi;

import io.regmgr.Monitor;
import io.regmgr.ServiceRegistration;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;

/**
 * Creators of the handle beans the build-compatible extension adds: each asks the running
 * {@link RegMgrBeans} for the handle named by parameter {@value #NAME}, starting it if needed.
 */
final class HandleCreators {
    /** Parameter: the service id or monitor name, {@code String}. */
    static final String NAME = "name";

    private HandleCreators() {
    }

    /** Creates the {@code @Registered} handle of one service. */
    public static final class Registration implements SyntheticBeanCreator<ServiceRegistration> {
        /** Used by the container. */
        public Registration() {
        }

        @Override
        public ServiceRegistration create(Instance<Object> lookup, Parameters params) {
            return lookup.select(RegMgrBeans.class).get().registration(params.get(NAME, String.class));
        }
    }

    /** Creates the {@code @Monitored} handle of one monitor. */
    public static final class Monitors implements SyntheticBeanCreator<Monitor> {
        /** Used by the container. */
        public Monitors() {
        }

        @Override
        public Monitor create(Instance<Object> lookup, Parameters params) {
            return lookup.select(RegMgrBeans.class).get().monitor(params.get(NAME, String.class));
        }
    }
}
