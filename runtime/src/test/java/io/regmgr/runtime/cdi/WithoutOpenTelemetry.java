package io.regmgr.runtime.cdi;

import io.regmgr.RegistryManager;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.WeldContainer;

import java.util.function.BooleanSupplier;

/**
 * What {@link WithoutOpenTelemetryTest} runs in a class loader that hides {@code io.opentelemetry}:
 * the CDI layer finds no API and records nothing; a Weld application with a declared service
 * starts, registers it and stops.
 */
public final class WithoutOpenTelemetry implements Runnable {
    @ApplicationScoped
    @RegistryService(name = "tcp!me!1", attributes = "kind=me")
    static class App {
    }

    @Override
    public void run() {
        check(CdiTelemetry.apiClass() == null, "the OpenTelemetry API is hidden");
        check(CdiTelemetry.lookup(null) == ManagerObserver.Factory.NONE, "no API: no metrics, the bean manager untouched");
        try (EmbeddedRegistry registry = CdiTesting.startRegistry();
                WeldContainer c = CdiTesting.weld(CdiTesting.config(registry), App.class).initialize()) {
            RegistryManager m = c.select(RegistryManager.class).get();
            check(m.status() != null, "manager");
            await(() -> registry.services().size() == 1, "the declared service registered");
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + CdiTesting.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            check(System.nanoTime() < deadline, what + " within " + CdiTesting.WAIT);
            Thread.onSpinWait();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("expected: " + what);
        }
    }
}
