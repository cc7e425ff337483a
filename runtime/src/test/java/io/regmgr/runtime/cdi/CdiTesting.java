package io.regmgr.runtime.cdi;

import io.regmgr.RegistryManager;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.EmbeddedRegistry;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.junit5.WeldInitiator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Fixtures of the CDI tests: an embedded registry on a loopback port chosen by the OS, the
 * configuration that points the extension at it (installed as this class loader's MicroProfile
 * Config, SmallRye's implementation), Weld containers with the extension and a few bean classes
 * (the library's own beans come from the extension, as in an application), and a second client.
 */
public final class CdiTesting {
    /** How long a test waits for something to happen over loopback. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private CdiTesting() {
    }

    /** @return a started registry on 127.0.0.1, port 0 */
    public static EmbeddedRegistry startRegistry() {
        return EmbeddedRegistry.builder().build().start();
    }

    /**
     * @param registry the registry to connect to
     * @param more further keys and values
     * @return configuration: the registry's address, quick reconnects, and {@code more}
     */
    public static Map<String, String> config(EmbeddedRegistry registry, String... more) {
        Map<String, String> map = new HashMap<>();
        map.put(RegMgrConfig.ADDRESS, registry.styxAddress().toString());
        map.put(RegMgrConfig.RECONNECT_INITIAL_DELAY, "20ms");
        map.put(RegMgrConfig.RECONNECT_MAX_DELAY, "200ms");
        map.put(RegMgrConfig.CLOSE_TIMEOUT, "5s");
        for (int i = 0; i < more.length; i += 2) {
            map.put(more[i], more[i + 1]);
        }
        return map;
    }

    /**
     * Makes {@code properties} the MicroProfile Config of the current thread's context class
     * loader (what {@code ConfigProvider.getConfig()} returns), replacing the previous one.
     *
     * @param properties keys and values
     */
    public static void installConfig(Map<String, String> properties) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        resolver.releaseConfig(resolver.getConfig(loader));
        resolver.registerConfig(mpConfig(properties), loader);
    }

    /**
     * @param properties keys and values
     * @return a MicroProfile Config of exactly those, not installed anywhere
     */
    public static Config mpConfig(Map<String, String> properties) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapSource(properties)).build();
    }

    /**
     * @param properties the configuration, installed now
     * @param beanClasses the application's bean classes
     * @return a Weld container, not started: discovery off, the extension and {@code beanClasses}
     */
    public static Weld weld(Map<String, String> properties, Class<?>... beanClasses) {
        installConfig(properties);
        return WeldInitiator.createWeld().addExtension(new RegMgrExtension()).addBeanClasses(beanClasses);
    }

    /**
     * @param properties the configuration, installed now
     * @param beanClasses the application's bean classes
     * @return an initiator for {@code @WeldSetup}
     */
    public static WeldInitiator initiator(Map<String, String> properties, Class<?>... beanClasses) {
        return WeldInitiator.from(weld(properties, beanClasses)).build();
    }

    /**
     * @param registry the registry
     * @return another application's manager on that registry (close it)
     */
    public static RegistryManager peer(EmbeddedRegistry registry) {
        return RegistryManagers.styx(ConnectorOptions.builder(registry.styxAddress().toString()).build(),
                ManagerOptions.builder().reconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200)).build());
    }

    /** A fixed set of properties, above the usual sources. */
    private record MapSource(Map<String, String> map) implements ConfigSource {
        MapSource {
            map = Map.copyOf(map);
        }

        @Override
        public Set<String> getPropertyNames() {
            return map.keySet();
        }

        @Override
        public String getValue(String propertyName) {
            return map.get(propertyName);
        }

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public int getOrdinal() {
            return 500;
        }
    }
}
