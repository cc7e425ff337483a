package io.regmgr.runtime.cdi.embedded;

import io.regmgr.Filter;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.RegMgrConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code regmgr.embedded.enabled}: the extension starts a registry in-process (with its static
 * services) and connects to it, over either transport.
 */
class EmbeddedRegistryConfigTest {
    @ApplicationScoped
    @RegistryService(name = "tcp!self!1", attributes = "kind=self")
    static class Self {
    }

    @ParameterizedTest
    @ValueSource(strings = {"styx", "bridge"})
    void startsAndUsesAnEmbeddedRegistry(String transport, @TempDir Path dir) throws Exception {
        Path db = Files.writeString(dir.resolve("services"), "service=tcp!db!5432 kind=db\n");
        Map<String, String> config = Map.of(RegMgrConfig.EMBEDDED_ENABLED, "true",
                RegMgrConfig.EMBEDDED_STYX, "tcp!127.0.0.1!0", RegMgrConfig.TRANSPORT, transport,
                RegMgrConfig.EMBEDDED_DB_FILE, db.toString());
        try (WeldContainer c = CdiTesting.weld(config, Self.class).initialize()) {
            RegistryManager manager = c.select(RegistryManager.class).get();
            List<ServiceEntry> all = manager.lookup(Filter.all()).toCompletableFuture()
                    .get(CdiTesting.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(all).as("what the embedded registry lists, over " + transport).extracting(ServiceEntry::name)
                    .contains("tcp!db!5432", "tcp!self!1");
        }
    }
}
