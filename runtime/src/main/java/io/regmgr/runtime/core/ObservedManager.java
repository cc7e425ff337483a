package io.regmgr.runtime.core;

import io.regmgr.ConnectionState;
import io.regmgr.RegistrationState;

import java.util.List;
import java.util.Map;

/**
 * A manager as its {@link ManagerObserver} sees it: what it connects to, and its state now. The
 * state methods are thread-safe and cheap (no I/O, no hop onto the manager's context), so that a
 * metric reader can call them on its own thread.
 */
public interface ObservedManager {
    /** @return the manager's name */
    String name();

    /**
     * @return the registry as the connector described it when the manager was built, e.g.
     *     {@code 9P2000 tcp!reghost!6675} (one value per manager)
     */
    String registry();

    /** @return {@code 9p}, {@code bridge} or {@code custom} (a connector of the application's) */
    String transport();

    /** @return the connection's state now */
    ConnectionState connectionState();

    /** @return the attached registrations by state now (every state present, 0 when none) */
    Map<RegistrationState, Integer> registrations();

    /** @return the attached monitors now, one entry per monitor name (monitors with one filter summed) */
    List<MonitorGauge> monitors();

    /**
     * One monitor's figures.
     *
     * @param name the monitor's name ({@link io.regmgr.Monitor#name()}: the name it was given, else
     *     its filter's words, {@code *} for every service)
     * @param services the services in its view
     * @param backlog the deltas its listener has still to hear (at most one per service)
     */
    record MonitorGauge(String name, int services, int backlog) {
    }
}
