package io.regmgr.runtime.cdi;

import io.regmgr.ServiceEntry;
import io.regmgr.cdi.InvalidDeclarationException;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredMonitor;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredService;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The run-time half of the build-compatible extension without a container: the deployment bean is
 * rebuilt from the classes the build checked and the run-time configuration.
 */
class DeploymentCreatorTest {
    @RegistryService(name = "tcp!orders!${app.port}", attributes = "proto=http")
    @RegistryMonitor(name = "peers", filter = "proto=http")
    static class Orders {
    }

    /** Parameters as a container passes them. */
    private record Params(Map<String, Object> map) implements Parameters {
        @Override
        public <T> T get(String key, Class<T> type) {
            return type.cast(map.get(key));
        }

        @Override
        public <T> T get(String key, Class<T> type, T defaultValue) {
            return map.containsKey(key) ? get(key, type) : defaultValue;
        }
    }

    @Test
    void rebuildsTheDeclarationsFromTheCheckedClassesAndTheConfiguration() {
        CdiTesting.installConfig(Map.of("app.port", "8080", "regmgr.services.extra.name", "tcp!extra!1"));

        RegMgrDeployment deployment = new DeploymentCreator().create(null,
                new Params(Map.of(DeploymentCreator.CLASSES, new String[] {Orders.class.getName()})));

        assertThat(deployment.model().services()).extracting(DeclaredService::id, DeclaredService::entry).containsExactly(
                tuple("orders", ServiceEntry.of("tcp!orders!8080", "proto", "http")),
                tuple("extra", ServiceEntry.of("tcp!extra!1")));
        assertThat(deployment.model().monitors()).extracting(DeclaredMonitor::id).containsExactly("peers");
        assertThat(deployment.settings()).as("settings").isNotNull();
    }

    @Test
    void aProblemOnlyTheRunTimeConfigurationHasFailsCreation() {
        CdiTesting.installConfig(Map.of());

        assertThatThrownBy(() -> new DeploymentCreator().create(null,
                new Params(Map.of(DeploymentCreator.CLASSES, new String[] {Orders.class.getName()}))))
                .isInstanceOf(InvalidDeclarationException.class).hasMessageContaining("${app.port}");
    }
}
