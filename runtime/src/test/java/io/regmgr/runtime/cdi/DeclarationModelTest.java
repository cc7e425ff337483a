package io.regmgr.runtime.cdi;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredService;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The model without a container: what a build-compatible extension would feed it. */
class DeclarationModelTest {
    private final Map<String, String> props = Map.of("app.port", "8080",
            "regmgr.services.orders.attributes.tier", "prod",
            "regmgr.services.extra.name", "tcp!extra!1",
            "regmgr.monitors.peers.filter", "kind=peer,zone=*");
    private final DeclarationModel model = new DeclarationModel(k -> Optional.ofNullable(props.get(k)));

    @Test
    void annotationsThenConfiguration() {
        assertThat(model.declareService("com.example.Orders", "orders", "tcp!orders!${app.port}",
                new String[] {"proto=http", "tier=dev"})).as("problems of orders").isEmpty();
        assertThat(model.declareMonitor("com.example.Peers", "peers", new String[] {"kind=any"})).isEmpty();
        assertThat(model.declareFromConfig(CdiTesting.mpConfig(props))).as("problems of configuration").isEmpty();

        assertThat(model.services()).extracting(DeclaredService::entry).containsExactly(
                ServiceEntry.of("tcp!orders!8080", "proto", "http", "tier", "prod"), ServiceEntry.of("tcp!extra!1"));
        assertThat(model.services()).first().extracting(DeclaredService::origin)
                .isEqualTo("com.example.Orders and configuration regmgr.services.orders");
        assertThat(model.monitors()).singleElement().satisfies(m -> assertThat(m.filter())
                .as("configuration replaces the annotation's filter").isEqualTo(Filter.of("kind", "peer", "zone", "*")));
        assertThat(model.crossCheck()).as("cross-check").isEmpty();
        assertThat(model.hasService("extra")).isTrue();
        assertThat(model.hasMonitor("nope")).isFalse();
    }

    @Test
    void problemsOfOneDeclarationAreAllReported() {
        assertThat(model.declareService("com.example.Bad", "bad id", "a/b", new String[] {"x", "y=${nope}"}))
                .containsExactly(
                        "Invalid @RegistryService.id on com.example.Bad 'bad id': an id is letters, digits, '-' and '_', not empty",
                        "Invalid @RegistryService.attributes on com.example.Bad: 'x' is not attr=value",
                        "Invalid @RegistryService.attributes on com.example.Bad: '${nope}': the expression ${nope} does not resolve:"
                                + " no config property 'nope' and no default (set it, or write ${nope:default})",
                        "Invalid @RegistryService.name on com.example.Bad: service name 'a/b': contains '/' at index 1"
                                + " (blanks, control characters and '/' are not allowed)");
        assertThat(model.services()).as("a declaration with problems is not kept").isEmpty();
    }

    @Test
    void resolvedNameIsShownWithItsTemplate() {
        assertThat(model.declareService("C", "c", "tcp!${app.host:a b}!1", new String[0])).singleElement().asString()
                .startsWith("Invalid @RegistryService.name on C: 'tcp!${app.host:a b}!1' resolves to 'tcp!a b!1': service name");
    }

    @Test
    void defaultIdIsTheDecapitalizedSimpleName() {
        assertThat(DeclarationModel.defaultServiceId(DeclarationModelTest.class)).isEqualTo("declarationModelTest");
    }
}
