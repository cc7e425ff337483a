package io.regmgr.runtime.core;

import io.regmgr.spi.RegistryTask;
import io.regmgr.spi.TaskContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A custom task that records, at each start and refresh, whether the session found a restarted registry. */
class RestartProbe extends RegistryTask {
    final List<Boolean> starts = new CopyOnWriteArrayList<>();
    final List<Boolean> refreshes = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void start(TaskContext context) {
        calls.add("start");
        starts.add(context.registryRestarted());
    }

    @Override
    public void stop() {
        calls.add("stop");
    }

    @Override
    public void refresh(TaskContext context) {
        calls.add("refresh");
        refreshes.add(context.registryRestarted());
    }

    /** @return whether the current session knows the registry restarted */
    boolean restartSeen() {
        boolean atStart = !starts.isEmpty() && starts.get(starts.size() - 1);
        boolean atRefresh = !refreshes.isEmpty() && refreshes.get(refreshes.size() - 1);
        return atStart || atRefresh;
    }
}
