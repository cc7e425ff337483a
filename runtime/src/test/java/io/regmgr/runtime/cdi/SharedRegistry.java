package io.regmgr.runtime.cdi;

import io.regmgr.runtime.server.EmbeddedRegistry;
import org.jboss.weld.junit5.WeldInitiator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * An embedded registry that the tests of one class share ({@link CdiTesting#startRegistry()}),
 * started before the first test and closed after the last, and the Weld setup of a scenario
 * against it. Registered as a static field, before the {@code @WeldSetup} field that uses it:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SharedRegistry SHARED = new SharedRegistry();
 *
 * @WeldSetup
 * WeldInitiator weld = SHARED.initiator(MyBean.class);
 * }</pre>
 *
 * For a scenario that stops or restarts the registry, a registry per test is the right thing instead.
 */
public final class SharedRegistry implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedRegistry registry;

    @Override
    public void beforeAll(ExtensionContext context) {
        registry = CdiTesting.startRegistry();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        registry.close();
    }

    /** @return the registry, started */
    public EmbeddedRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("no registry before the test class starts:"
                    + " is SharedRegistry registered as a static @RegisterExtension field?");
        }
        return registry;
    }

    /**
     * @param more further keys and values
     * @return {@link CdiTesting#config the configuration} that points the extension at the registry, and {@code more}
     */
    public Map<String, String> config(String... more) {
        return CdiTesting.config(registry(), more);
    }

    /**
     * @param beanClasses the scenario's bean classes
     * @return an initiator for {@code @WeldSetup}: the extension and {@code beanClasses}, configured by {@link #config}
     */
    public WeldInitiator initiator(Class<?>... beanClasses) {
        return CdiTesting.initiator(config(), beanClasses);
    }
}
