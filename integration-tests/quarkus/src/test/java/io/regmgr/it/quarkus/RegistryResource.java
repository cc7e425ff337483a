package io.regmgr.it.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.regmgr.runtime.server.EmbeddedRegistry;

import java.util.Map;

/**
 * Starts an embedded registry on a loopback port the OS chooses, before the app, and points the
 * app at it; stops it after the app.
 */
public class RegistryResource implements QuarkusTestResourceLifecycleManager {
    static EmbeddedRegistry registry;

    @Override
    public Map<String, String> start() {
        registry = EmbeddedRegistry.builder().build().start();
        return Map.of("regmgr.address", registry.styxAddress().toString(),
                "regmgr.reconnect.initial-delay", "20ms",
                "regmgr.reconnect.max-delay", "200ms");
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
    }
}
