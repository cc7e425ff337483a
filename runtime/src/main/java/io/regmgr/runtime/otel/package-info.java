/**
 * Metrics through OpenTelemetry: {@link io.regmgr.runtime.otel.OpenTelemetryMetrics} turns a
 * manager's {@link io.regmgr.runtime.core.ManagerObserver} events and state into OpenTelemetry
 * instruments named {@code regmgr.*}. The only package that imports {@code io.opentelemetry}: the
 * API is an optional dependency, so the rest of the runtime loads and runs without it.
 */
package io.regmgr.runtime.otel;
