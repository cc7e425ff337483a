package io.regmgr.it.quarkus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On ArC, which passes Errors and checked exceptions through: an observer throwing at
 * {@code @Priority(1)} does not keep events from the {@code @Priority(2000)} and
 * {@code @ObservesAsync} observers, and one declared {@code throws IOException} does not silence
 * later events (issue 13, part 2).
 */
@QuarkusTest
@QuarkusTestResource(RegistryResource.class)
class ThrowingObserversTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ThrowingObservers observers;

    @Test
    void laterObserversGetEveryEventWhateverEarlierOnesThrow() {
        List<String> names = IntStream.range(0, 5).mapToObj(i -> "tcp!10.0.0.8!" + (9100 + i)).toList();
        try (RegistryManager other = RegistryManagers.styx(
                ConnectorOptions.builder(RegistryResource.registry.styxAddress().toString()).build(), ManagerOptions.defaults())) {
            for (String name : names) {
                other.register(ServiceEntry.of(name, "group", "it", "proto", "http"));
                await().atMost(WAIT).until(() -> observers.late().contains(name));
            }
            assertThat(observers.late()).as("the @Priority(2000) observer, in order").containsSubsequence(names);
            await().atMost(WAIT).untilAsserted(() -> assertThat(observers.async())
                    .as("the async observer").containsAll(names));
        }
    }
}
