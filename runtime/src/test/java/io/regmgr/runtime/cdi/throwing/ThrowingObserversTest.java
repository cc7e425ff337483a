package io.regmgr.runtime.cdi.throwing;

import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.ServiceAdded;
import io.regmgr.cdi.ServiceChange;
import io.regmgr.runtime.cdi.CdiTesting;
import io.regmgr.runtime.server.EmbeddedRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observers that throw anything (an {@link Error} at {@code @Priority(1)}, a declared checked
 * {@link IOException}, a checked exception thrown sneakily by an async observer) never keep an
 * event from the later observers, synchronous or asynchronous, nor silence later events (issue 13,
 * part 2, on Weld; integration-tests/quarkus checks the same on ArC).
 */
@EnableWeld
class ThrowingObserversTest {
    private static final int SERVICES = 20;

    EmbeddedRegistry registry = CdiTesting.startRegistry();
    RegistryManager peer;

    @ApplicationScoped
    @RegistryMonitor(name = "peers", filter = "kind=peer")
    static class Monitors {
    }

    @ApplicationScoped
    static class Observers {
        final List<String> late = new CopyOnWriteArrayList<>();
        final List<String> async = new CopyOnWriteArrayList<>();

        void error(@Observes @Priority(1) @Monitored("peers") ServiceAdded added) {
            throw new AssertionError("an observer that fails with an Error on " + added.name());
        }

        void checked(@Observes @Priority(2) @Monitored("peers") ServiceChange change) throws IOException {
            throw new IOException("an observer declared to throw IOException, on " + change.name());
        }

        void late(@Observes @Priority(2000) @Monitored("peers") ServiceAdded added) {
            late.add(added.name());
        }

        void asyncThrows(@ObservesAsync @Priority(1) @Monitored("peers") ServiceAdded added) {
            throw new OutOfServiceError("async Error on " + added.name());
        }

        void asyncRecords(@ObservesAsync @Priority(2) @Monitored("peers") ServiceAdded added) {
            async.add(added.name());
        }

        List<String> late() {
            return List.copyOf(late);
        }

        List<String> async() {
            return List.copyOf(async);
        }
    }

    /** An Error that is not a VirtualMachineError: delivery must go on past it. */
    static final class OutOfServiceError extends Error {
        private static final long serialVersionUID = 1L;

        OutOfServiceError(String message) {
            super(message);
        }
    }

    @WeldSetup
    WeldInitiator weld = CdiTesting.initiator(CdiTesting.config(registry), Monitors.class, Observers.class);

    @Inject
    Observers observers;

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
        registry.close();
    }

    @Test
    void everyObserverGetsEveryEventInOrderWhateverTheOthersThrow() {
        peer = CdiTesting.peer(registry);
        List<String> names = IntStream.range(0, SERVICES).mapToObj(i -> "tcp!peer!" + i).toList();
        for (String name : names) {
            peer.register(ServiceEntry.of(name, "kind", "peer"));
            // one at a time, so that each is its own event after the ones before
            await().atMost(CdiTesting.WAIT).until(() -> observers.late().contains(name));
        }

        assertThat(observers.late()).as("the @Priority(2000) observer, past an Error and an IOException each time")
                .containsExactlyElementsOf(names);
        await().atMost(CdiTesting.WAIT).untilAsserted(() -> assertThat(observers.async())
                .as("the async observer, past another async observer's Error").containsExactlyInAnyOrderElementsOf(names));
    }
}
