package io.regmgr.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged standalone registry, run as the README runs it: {@code java -jar regmgr-registry.jar},
 * with and without the class-data-sharing archive the build made beside it. Runs after
 * {@code package} (failsafe), against a real process on ports chosen by the OS. No timings: the
 * figures are in {@code bash bench/run.sh startup}.
 */
@Timeout(120)
class RegistryJarIT {
    private static final Path JAR = Path.of("target", "regmgr-registry.jar");
    private static final Path ARCHIVE = Path.of("target", "regmgr-registry.jsa");
    private static final String[] ON_FREE_PORTS = {"--styx", "tcp!127.0.0.1!0", "--bridge", "tcp!127.0.0.1!0"};

    private RegistryProcess registry;

    @AfterEach
    void kill() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theJarStartsOnAPortChosenByTheOsAnswersTversionAndStopsOnSigterm() {
        registry = RegistryProcess.launch(JAR, List.of(), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(registry.stop(30)).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
        assertThat(registry.output()).as("what the launcher printed").contains("registry: stopping", "registry: stopped");
    }

    @Test
    void theBuildsClassDataSharingArchiveMatchesTheJarAndTheJvm() {
        assertThat(ARCHIVE).as("the archive made at package time (-Dregmgr.cds.skip unset)").exists();
        assertThat(ARCHIVE.toFile().length()).as("archive size").isGreaterThan(1_000_000L);

        // -Xshare:on: the JVM refuses to start unless it can map the archive (same jar, same JVM)
        registry = RegistryProcess.launch(JAR, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE,
                "-Xlog:class+load=info:stdout:tags"), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(registry.output().lines().filter(l -> l.contains("io.regmgr.runtime.server.EmbeddedRegistry ")))
                .as("where EmbeddedRegistry came from").singleElement().asString().contains("shared objects file (top)");
    }

    @Test
    void theArchiveAndItsLogAreWrittenBesideTheJar() throws Exception {
        assertThat(Files.readString(Path.of("target", "regmgr-registry.jsa.log")))
                .as("the training run's output").contains("registry serving 9P2000 on tcp!127.0.0.1!")
                .doesNotContain("training failed");
    }

    private static void assertAnswersTversion(int port) {
        try (StyxTestClient client = StyxTestClient.connect(port)) {
            assertThat(client.version(8216)).as("reply to Tversion").isInstanceOf(Rversion.class);
        }
    }
}
