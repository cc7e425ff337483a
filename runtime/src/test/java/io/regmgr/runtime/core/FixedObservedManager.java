package io.regmgr.runtime.core;

import io.regmgr.ConnectionState;
import io.regmgr.RegistrationState;

import java.util.List;
import java.util.Map;

/** A manager as an observer sees it, without a manager: connected over 9P, no tasks. For tests and benchmarks. */
public final class FixedObservedManager implements ObservedManager {
    private final String name;

    /** @param name the manager's name */
    public FixedObservedManager(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String registry() {
        return "9P2000 tcp!127.0.0.1!1";
    }

    @Override
    public String transport() {
        return "9p";
    }

    @Override
    public ConnectionState connectionState() {
        return ConnectionState.CONNECTED;
    }

    @Override
    public Map<RegistrationState, Integer> registrations() {
        return Map.of();
    }

    @Override
    public List<MonitorGauge> monitors() {
        return List.of();
    }
}
