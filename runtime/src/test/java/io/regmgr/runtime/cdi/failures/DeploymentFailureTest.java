package io.regmgr.runtime.cdi.failures;

import io.regmgr.Monitor;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.cdi.ServiceChange;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.cdi.Recorder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deployments that must fail, and their messages: each names the element, the bean or key, the
 * value and the rule. Nothing connects: the address points at a port where nothing listens, and
 * the failure comes before the manager would start.
 */
class DeploymentFailureTest {
    private static final String NOWHERE = "tcp!127.0.0.1!9";

    @ApplicationScoped
    @RegistryService(name = "orders service")
    static class BlankInName {
    }

    @ApplicationScoped
    @RegistryService(name = "index")
    static class ReservedName {
    }

    @ApplicationScoped
    @RegistryService(name = "tcp!x!1", attributes = {"proto"})
    static class AttributeWithoutValue {
    }

    @ApplicationScoped
    @RegistryService(name = "tcp!x!1", attributes = {"kind=a", "kind=b"})
    static class AttributeTwice {
    }

    @ApplicationScoped
    @RegistryService(name = "tcp!${app.host}!80")
    static class UnresolvedExpression {
    }

    @ApplicationScoped
    @RegistryService(name = "tcp!${app.host!80")
    static class UnclosedExpression {
    }

    @ApplicationScoped
    @RegistryMonitor(name = "peers", filter = {"kind"})
    static class OddFilter {
    }

    @ApplicationScoped
    @RegistryMonitor(name = "my peers", filter = "kind=peer")
    static class BadMonitorName {
    }

    @ApplicationScoped
    @RegistryService(name = "tcp!same!1")
    static class First {
    }

    @ApplicationScoped
    @RegistryService(name = "tcp!same!1")
    static class Second {
    }

    @ApplicationScoped
    @RegistryMonitor(name = "peers")
    static class PeersA {
    }

    @ApplicationScoped
    @RegistryMonitor(name = "peers")
    static class PeersB {
    }

    @ApplicationScoped
    static class ObserverOfATypo {
        void changed(@Observes @Monitored("peer") ServiceChange change) {
        }
    }

    @ApplicationScoped
    static class NoServiceOfItsOwn {
        @Inject
        @Registered
        ServiceRegistration self;
    }

    @ApplicationScoped
    @RegistryMonitor(name = "a")
    @RegistryMonitor(name = "b")
    static class TwoMonitorsNoName {
        @Inject
        @Monitored
        Monitor which;
    }

    @Test
    void badServiceName() {
        assertFails(BlankInName.class, "Invalid @RegistryService.name on " + BlankInName.class.getName()
                + ": service name 'orders service': contains a blank at index 6 (blanks, control characters and '/' are not allowed)");
        assertFails(ReservedName.class, "Invalid @RegistryService.name on " + ReservedName.class.getName()
                + ": service name 'index': reserved for the registry's own file of that name");
    }

    @Test
    void badAttribute() {
        assertFails(AttributeWithoutValue.class, "Invalid @RegistryService.attributes on "
                + AttributeWithoutValue.class.getName() + ": 'proto' is not attr=value");
        assertFails(AttributeTwice.class, "'kind=b': attribute 'kind' is given twice");
    }

    @Test
    void unresolvableExpression() {
        assertFails(UnresolvedExpression.class, "Invalid @RegistryService.name on " + UnresolvedExpression.class.getName()
                + ": 'tcp!${app.host}!80': the expression ${app.host} does not resolve: no config property 'app.host'"
                + " and no default (set it, or write ${app.host:default})");
        assertFails(UnclosedExpression.class, "'tcp!${app.host!80': the expression at index 4 is not closed");
    }

    @Test
    void oddFilterAndBadMonitorName() {
        assertFails(OddFilter.class, "Invalid @RegistryMonitor.filter on " + OddFilter.class.getName()
                + " (monitor 'peers'): 'kind' is not attr=value");
        assertFails(BadMonitorName.class, "Invalid @RegistryMonitor.name on " + BadMonitorName.class.getName()
                + " 'my peers': an id is letters, digits, '-' and '_'");
    }

    @Test
    void twoServicesWithOneName() {
        Weld weld = weld(config(), First.class, Second.class);
        assertFails(weld, "Duplicate service name 'tcp!same!1': service '");
        assertFails(weld, "service 'first' (" + First.class.getName() + ")");
        assertFails(weld, "service 'second' (" + Second.class.getName() + ")");
        assertFails(weld, "(a registry holds one service per name)");
    }

    @Test
    void twoMonitorsWithOneName() {
        assertFails(weld(config(), PeersA.class, PeersB.class), "Duplicate @RegistryMonitor.name 'peers' on ");
    }

    @Test
    void observerOfAnUnknownMonitor() {
        assertFails(weld(config(), ObserverOfATypo.class, PeersA.class), "Unknown monitor 'peer' in @Monitored on "
                + ObserverOfATypo.class.getName() + " observing " + ServiceChange.class.getName()
                + ": no monitor has that name (declared: peers)");
    }

    @Test
    void ownHandleWithoutADeclaration() {
        assertFails(NoServiceOfItsOwn.class, "but " + NoServiceOfItsOwn.class.getName()
                + " has no @RegistryService (write @Registered(\"<id>\"))");
        assertFails(TwoMonitorsNoName.class, "but " + TwoMonitorsNoName.class.getName()
                + " declares 2 @RegistryMonitor (write @Monitored(\"<name>\"))");
    }

    @Test
    void invalidSettings() {
        Map<String, String> config = config("regmgr.connect-timeout", "5", "regmgr.transport", "udp",
                "regmgr.reconnect.initial-delay", "2s", "regmgr.reconnect.max-delay", "1s");
        assertFails(weld(config, Recorder.class), "Invalid regmgr.connect-timeout '5': a duration is a whole number with a unit ms, s, m or h");
        assertFails(weld(config, Recorder.class), "Invalid regmgr.transport 'udp': the transports are styx (native 9P2000) and bridge");
        assertFails(weld(config, Recorder.class), "Invalid regmgr.reconnect.max-delay 'PT1S': below regmgr.reconnect.initial-delay 'PT2S'");
        assertFails(weld(config("regmgr.address", "tcp!host"), Recorder.class), "Invalid regmgr.address: Invalid dial string 'tcp!host'");
        Map<String, String> restore = config("regmgr.restore.in-flight", "0", "regmgr.reconnect.probes", "maybe");
        assertFails(weld(restore, Recorder.class), "Invalid regmgr.restore.in-flight: restore in flight 0 is not within 1..1024");
        assertFails(weld(restore, Recorder.class), "Invalid regmgr.reconnect.probes 'maybe': must be true or false");
        assertFails(weld(config("regmgr.restore.in-flight", "many"), Recorder.class),
                "Invalid regmgr.restore.in-flight: 'many' is not a whole number");
    }

    @Test
    void configuredServiceOrMonitorMissingItsParts() {
        assertFails(weld(config("regmgr.services.web.attributes.proto", "http"), Recorder.class),
                "Missing regmgr.services.web.name: a service declared in configuration needs a name");
        assertFails(weld(config("regmgr.services.web.name", "tcp!web!80", "regmgr.services.web.port", "80"), Recorder.class),
                "Unknown configuration key regmgr.services.web.port: a service has name and attributes.<attr>");
        assertFails(weld(config("regmgr.monitors.peers.filter", "kind"), Recorder.class),
                "Invalid regmgr.monitors.peers.filter: 'kind' is not attr=value");
    }

    private static Map<String, String> config(String... pairs) {
        Map<String, String> map = new HashMap<>(Map.of("regmgr.address", NOWHERE));
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Weld weld(Map<String, String> config, Class<?>... beans) {
        return CdiTesting.weld(config, beans);
    }

    private static void assertFails(Class<?> bean, String message) {
        assertFails(weld(config(), bean), message);
    }

    private static void assertFails(Weld weld, String message) {
        assertThatThrownBy(() -> {
            try (WeldContainer c = weld.initialize()) {
                c.getId();
            }
        }).as("the deployment's failure").hasStackTraceContaining(message);
    }
}
