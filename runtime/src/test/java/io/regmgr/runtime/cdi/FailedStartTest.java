package io.regmgr.runtime.cdi;

import io.regmgr.cdi.RegistryConnected;
import io.regmgr.cdi.RegistryDisconnected;
import io.regmgr.cdi.RegistryService;
import io.regmgr.cdi.ServiceChange;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryServerException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A start that fails leaves nothing running (issue 13, part 3): with the registry's port taken,
 * the embedded registry, the framework-free runtime and a CDI deployment each fail with the
 * address in the message, and the JVM's threads and open sockets return to what they were.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailedStartTest {
    /** What the JVM had running before: its live threads and its number of open sockets. */
    private record Baseline(Set<Thread> threads, long sockets) {
        static Baseline now() {
            return new Baseline(Thread.getAllStackTraces().keySet(), openSockets());
        }

        /** Threads started since that are still alive, except the JDK's and the test tools' shared pools. */
        List<String> newThreads() {
            List<String> left = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!threads.contains(t) && t.isAlive() && !t.getName().startsWith("ForkJoinPool")
                        && !t.getName().startsWith("awaitility")) {
                    left.add(t.getName());
                }
            }
            return left;
        }

        void assertBack() {
            await().atMost(CdiTesting.WAIT).untilAsserted(() -> {
                assertThat(newThreads()).as("threads left running").isEmpty();
                assertThat(openSockets()).as("open sockets").isLessThanOrEqualTo(sockets);
            });
        }

        private static long openSockets() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.filter(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                    } catch (IOException gone) {
                        return false; // closed while listed
                    }
                }).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static ServerSocket takePort() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @Test
    void anEmbeddedRegistryThatCannotBindReleasesItsThreads() throws IOException {
        try (ServerSocket busy = takePort()) {
            Baseline before = Baseline.now();

            assertThatThrownBy(() -> EmbeddedRegistry.builder().styx("tcp!127.0.0.1!" + busy.getLocalPort()).build().start())
                    .isInstanceOf(RegistryServerException.class)
                    .hasMessageContaining("tcp!127.0.0.1!" + busy.getLocalPort());

            before.assertBack();
        }
    }

    @Test
    void aRuntimeWhoseEmbeddedRegistryCannotStartReleasesEverything() throws IOException {
        try (ServerSocket busy = takePort()) {
            List<String> problems = new ArrayList<>();
            Settings settings = Settings.read(CdiTesting.mpConfig(java.util.Map.of(
                    RegMgrConfig.EMBEDDED_ENABLED, "true",
                    RegMgrConfig.EMBEDDED_STYX, "tcp!127.0.0.1!" + busy.getLocalPort())), problems);
            assertThat(problems).as("settings").isEmpty();
            DeclarationModel model = new DeclarationModel(k -> Optional.empty());
            model.declareService("T", "me", "tcp!me!1", new String[] {"kind=me"});
            Baseline before = Baseline.now();

            assertThatThrownBy(() -> RegistryRuntime.start(settings, model, new NoEvents(), "failed-start"))
                    .isInstanceOf(RegistryServerException.class).hasMessageContaining("" + busy.getLocalPort())
                    .hasMessageContaining("REGMGR_EMBEDDED_ENABLED=false REGMGR_ADDRESS=")
                    .hasMessageContaining(RegMgrConfig.EMBEDDED_STYX);

            before.assertBack();
        }
    }

    @Test
    void aCdiDeploymentWhoseRegistryCannotStartReleasesEverything() throws IOException {
        try (ServerSocket busy = takePort()) {
            Weld weld = CdiTesting.weld(java.util.Map.of(RegMgrConfig.EMBEDDED_ENABLED, "true",
                    RegMgrConfig.EMBEDDED_STYX, "tcp!127.0.0.1!" + busy.getLocalPort()), Self.class);
            Baseline before = Baseline.now();

            assertThatThrownBy(weld::initialize).as("the deployment fails")
                    .hasStackTraceContaining("" + busy.getLocalPort());

            before.assertBack();
        }
    }

    /** The application's service. */
    @ApplicationScoped
    @RegistryService(name = "tcp!127.0.0.1!8080", attributes = "proto=http")
    static class Self {
    }

    /** Drops every event: none are expected. */
    private static final class NoEvents implements EventSink {
        @Override
        public void serviceChanged(ServiceChange change) {
        }

        @Override
        public void connected(RegistryConnected event) {
        }

        @Override
        public void disconnected(RegistryDisconnected event) {
        }
    }
}
