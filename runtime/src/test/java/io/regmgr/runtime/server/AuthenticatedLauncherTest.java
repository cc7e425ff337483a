package io.regmgr.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.RegistryAuthenticationException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.KeyFiles;
import io.regmgr.runtime.auth.SignatureAlg;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's key tools make Inferno key files (owner-readable only) that authenticate against
 * the launcher's {@code --key}/{@code -a} registry over real TCP.
 */
class AuthenticatedLauncherTest {
    @TempDir
    Path dir;
    private static final SessionListener QUIET = new SessionListener() {
        @Override
        public void changed(long version) {
        }

        @Override
        public void closed(Throwable cause) {
        }
    };
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private void tool(String... args) {
        assertThat(RegistryLauncher.launch(args, out)).as("a tool starts no registry").isNull();
    }

    @Test
    void toolsMakeKeysThatTheLauncherAndTheConnectorUse() throws Exception {
        String signer = dir.resolve("signer").toString();
        tool("createsignerkey", "-f", signer, "signer");
        tool("mkauthinfo", "-k", signer, "-f", dir.resolve("server").toString(), "server");
        tool("mkauthinfo", "-k", signer, "-e", "01012099", "-f", dir.resolve("alice").toString(), "alice");
        for (String f : new String[] {"signer", "server", "alice"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))))
                    .as("mode of %s", f).isEqualTo("rw-------");
        }
        KeyFile alice = KeyFiles.read(dir.resolve("alice"));
        assertThat(alice.certificateVerifies()).isTrue();
        assertThat(alice.certificate().expires()).as("expiry in 2099").isGreaterThan(4_000_000_000L);
        assertThat(alice.bytes()).as("written as Inferno writes").isEqualTo(Files.readAllBytes(dir.resolve("alice")));

        List<String> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(EmbeddedRegistry.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        EmbeddedRegistry registry;
        try {
            registry = RegistryLauncher.launch(new String[] {"--styx", "tcp!127.0.0.1!0", "--bridge", "off",
                "--key", dir.resolve("server").toString(), "-a", "sha1", "-a", "rc4_256"}, out);
        } finally {
            log.removeHandler(handler);
        }
        String secret = KeyFiles.read(dir.resolve("server")).secretKey().text();
        assertThat(logged).as("the serving line with --key").anySatisfy(line -> assertThat(line)
                .startsWith("registry serving 9P2000 on tcp!127.0.0.1!")
                .endsWith(", 9P connections authenticated (keys signed by 'signer'; the registry is 'server';"
                        + " algorithms sha1 rc4_256)"));
        assertThat(String.join("\n", logged)).as("what was logged").doesNotContain(secret.substring(secret.length() - 40));
        try (registry; StyxConnector ok = connector(registry, alice, "rc4_256 sha1");
                StyxConnector refused = connector(registry, alice, "md5")) {
            RegistrySession s = ok.connect(QUIET).toCompletableFuture().get(30, TimeUnit.SECONDS);
            s.register(ServiceEntry.of("made-by-tools"), RegistrationListener.NONE).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(registry.services()).hasSize(1);
            assertThatThrownBy(() -> refused.connect(QUIET).toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RegistryAuthenticationException.class)
                    .hasMessageContaining("it may not allow 'md5'");
        }
    }

    private static StyxConnector connector(EmbeddedRegistry registry, KeyFile key, String alg) {
        return new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                .requestTimeout(Duration.ofSeconds(20)).authentication(key, alg).build());
    }

    @Test
    void elgamalSignersWork() {
        String signer = dir.resolve("eg").toString();
        tool("createsignerkey", "-a", "elgamal", "-b", "512", "-f", signer, "signer");
        tool("mkauthinfo", "-k", signer, "-f", dir.resolve("bob").toString(), "bob");
        KeyFile bob = KeyFiles.read(dir.resolve("bob"));
        assertThat(bob.secretKey().alg()).isEqualTo(SignatureAlg.ELGAMAL);
        assertThat(bob.certificateVerifies()).isTrue();
    }

    @Test
    void badToolUseIsRefusedNamingTheRule() throws Exception {
        assertThatThrownBy(() -> tool("createsignerkey", "-a", "dsa", "-f", dir.resolve("x").toString(), "s"))
                .hasMessageContaining("dsa");
        assertThatThrownBy(() -> tool("mkauthinfo", "-k", "/nonexistent", "-e", "01012001", "-f", "x", "u"))
                .hasMessageContaining("expiry date has already passed");
        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"-a", "sha1"}, out))
                .hasMessageContaining("-a needs --key");
        Path open = dir.resolve("open");
        Files.write(open, new byte[] {1});
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(KeyFiles.readableByOthers(open)).as("a world-readable key file is noticed").isTrue();
    }
}
