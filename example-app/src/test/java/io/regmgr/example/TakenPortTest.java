package io.regmgr.example;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command while the registry's port is taken (a real registry there, say): the
 * app, run as its own JVM as the command runs it, exits non-zero instead of hanging, and says what
 * to set instead (issue 13, part 3). The embedded registry's port is a busy one the OS chose.
 */
class TakenPortTest {
    private static final long EXIT_WITHIN_SECONDS = 120;

    @Test
    @Timeout(value = EXIT_WITHIN_SECONDS + 30, unit = TimeUnit.SECONDS)
    void theAppExitsNonZeroSayingWhatToSetWhenTheRegistryPortIsTaken() throws Exception {
        Path output = Files.createTempFile("regmgr-taken-port", ".log");
        int httpPort = ExampleAppTest.freePort(); // free for Helidon, as the README's command needs one
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process app = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "-Dserver.port=" + httpPort,
                    "-Dregmgr.embedded.enabled=true",
                    "-Dregmgr.embedded.styx=tcp!127.0.0.1!" + busy.getLocalPort(),
                    "io.helidon.microprofile.cdi.Main"))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                boolean exited = app.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS);
                String log = Files.readString(output, StandardCharsets.UTF_8);
                assertThat(exited).as("the app's JVM exited (it hung before); its output:%n%s", log).isTrue();
                assertThat(app.exitValue()).as("exit status").isNotZero();
                assertThat(log).as("what the app said")
                        .contains("tcp!127.0.0.1!" + busy.getLocalPort())
                        .contains("regmgr.embedded.styx")
                        .contains("REGMGR_EMBEDDED_ENABLED=false REGMGR_ADDRESS='tcp!127.0.0.1!" + busy.getLocalPort() + "'");
            } finally {
                app.destroyForcibly();
            }
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file: the OS cleans it
        }
    }
}
