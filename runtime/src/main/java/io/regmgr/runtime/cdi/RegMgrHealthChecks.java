package io.regmgr.runtime.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.Optional;

/**
 * The MicroProfile Health checks, named {@value #NAME}; registered by {@link RegMgrExtension}
 * only when the Health API is present.
 */
final class RegMgrHealthChecks {
    /** The name of both checks. */
    static final String NAME = "regmgr";

    private RegMgrHealthChecks() {
    }

    static HealthCheckResponse response(HealthReport report) {
        return new HealthCheckResponse(NAME, report.up() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(report.data()));
    }

    /** Ready when connected, every service registered and every monitor synced; the data says which are not. */
    @Readiness
    @ApplicationScoped
    static class ReadinessCheck implements HealthCheck {
        @Inject
        RegMgrBeans beans;

        @Override
        public HealthCheckResponse call() {
            return response(beans.readiness());
        }
    }

    /** Live while the manager runs (connected or reconnecting). */
    @Liveness
    @ApplicationScoped
    static class LivenessCheck implements HealthCheck {
        @Inject
        RegMgrBeans beans;

        @Override
        public HealthCheckResponse call() {
            return response(beans.liveness());
        }
    }
}
