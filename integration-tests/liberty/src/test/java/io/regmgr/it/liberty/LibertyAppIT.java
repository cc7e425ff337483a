package io.regmgr.it.liberty;

import io.regmgr.Filter;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app in OpenLiberty (started by the build before this test; Weld runs the portable
 * extension). The app runs its own registry on a port the OS chose; this test finds it in the
 * readiness data and connects a second client to it.
 */
class LibertyAppIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern REGISTRY = Pattern.compile("\"registry\"\\s*:\\s*\"([^\" ]+) \\(");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BASE = "http://127.0.0.1:" + System.getProperty("liberty.http.port");

    private static RegistryManager other;

    @BeforeAll
    static void connectASecondClient() {
        String[] address = new String[1];
        await().atMost(WAIT).untilAsserted(() -> {
            Matcher m = REGISTRY.matcher(get("/health/ready").body());
            assertThat(m.find()).as("the registry address in the readiness data").isTrue();
            address[0] = m.group(1);
        });
        other = RegistryManagers.styx(ConnectorOptions.builder(address[0]).build(), ManagerOptions.defaults());
    }

    @AfterAll
    static void close() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void theServiceIsInTheRegistry() {
        await().atMost(WAIT).untilAsserted(() -> {
            List<ServiceEntry> found = other.lookup(Filter.of("group", "it", "proto", "http"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(found).as("what the registry lists").anySatisfy(s -> assertThat(s.name()).isEqualTo("tcp!127.0.0.1!9080"));
        });
    }

    @Test
    void aServiceRegisteredByAnotherClientArrivesAsAnEvent() {
        other.register(ServiceEntry.of("tcp!10.0.0.7!9000", "group", "it", "proto", "http"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/peers").body().lines().toList())
                .as("GET /peers").contains("tcp!10.0.0.7!9000"));
    }

    @Test
    void readinessReportsTheRegistryCheck() {
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> ready = get("/health/ready");
            assertThat(ready.statusCode()).as("readiness status, body: %s", ready.body()).isEqualTo(200);
            assertThat(ready.body()).as("readiness")
                    .contains("regmgr").contains("1/1 registered").doesNotContain("DOWN");
        });
    }

    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
