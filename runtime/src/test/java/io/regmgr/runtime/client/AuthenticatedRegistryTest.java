package io.regmgr.runtime.client;

import static io.regmgr.runtime.auth.Vectors.key;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.RegistryAuthenticationException;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.SslAlgorithm;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our 9P client against our embedded registry, both authenticating with Inferno's key files over
 * real TCP: every signature algorithm with every record algorithm, who owns what, and the refusals
 * with Inferno's words.
 */
class AuthenticatedRegistryTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private static final List<String> RECORD_ALGORITHMS = List.of("none", "clear", "sha1", "md5", "rc4_256", "rc4_128",
            "rc4_40", "rc4_256 sha1", "rc4_128 md5", "sha1/rc4_40", "des_56_cbc sha1", "des_56_ecb md5", "des_40_cbc");


    static List<String[]> combinations() {
        List<String[]> all = new ArrayList<>();
        for (String sig : List.of("rsa", "elgamal")) {
            for (String alg : RECORD_ALGORITHMS) {
                all.add(new String[] {sig, alg});
            }
        }
        return all;
    }

    private EmbeddedRegistry registry(String serverKey, List<String> allowed) {
        return NET.registry(b -> b.authentication(key(serverKey), allowed));
    }

    private StyxConnector connector(EmbeddedRegistry registry, String user, String clientKey, String alg) {
        return NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).user(user)
                .requestTimeout(Duration.ofSeconds(10)).authentication(key(clientKey), alg));
    }

    @ParameterizedTest(name = "{0} keys, {1}")
    @MethodSource("combinations")
    void registersFindsAndRemovesThroughEachAlgorithm(String sig, String alg) {
        List<String> allowed = new ArrayList<>(SslAlgorithm.listenDefaults());
        allowed.add("clear");
        EmbeddedRegistry registry = registry("server." + sig, allowed);
        RegistrySession alice = join(connector(registry, "alice", "alice." + sig, alg).connect(new RecordingListener()));
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            big.append('x');
        }
        ServiceEntry entry = ServiceEntry.of("tcp!host!80", "proto", "http", "big", big.toString());

        join(alice.register(entry, RegistrationListener.NONE));

        assertThat(registry.services()).as("%s %s: registered", sig, alg).containsExactly(entry);
        assertThat(join(alice.index())).as("read back through the records").containsExactly(entry);
        join(alice.remove("tcp!host!80"));
        assertThat(registry.services()).as("removed").isEmpty();
    }

    @Test
    void theAuthenticatedNameOwnsWhatItRegistersWhateverItsAttachSays() {
        EmbeddedRegistry registry = registry("server.rsa", List.of());
        RegistrySession bob = join(connector(registry, "mallory", "bob.rsa", "sha1").connect(new RecordingListener()));
        RegistrySession alice = join(connector(registry, "bob", "alice.rsa", "sha1").connect(new RecordingListener()));
        Registration r = join(bob.register(ServiceEntry.of("bobs"), RegistrationListener.NONE));

        assertThat(failure(alice.remove("bobs"))).as("alice attaching as 'bob' cannot remove bob's service")
                .isInstanceOf(RegistryErrorException.class);
        assertThat(registry.services()).as("still there").hasSize(1);
        join(bob.remove("bobs"));
        assertThat(registry.services()).as("its owner removed it").isEmpty();
        assertThat(r).isNotNull();
    }

    @Test
    void aKeyFromAnotherSignerIsRefusedWithInfernosWords() {
        EmbeddedRegistry registry = registry("server.rsa", List.of());
        Throwable f = failure(connector(registry, "alice", "alice-othersigner.rsa", "sha1")
                .connect(new RecordingListener()));
        assertThat(f).isInstanceOf(RegistryAuthenticationException.class);
        // its DH modulus differs too: when the registry's alpha exceeds it, that is refused first
        assertThat(((RegistryAuthenticationException) f).reason()).isIn("pk doesn't match certificate",
                "implausible parameter value");
        assertThat(f.getMessage()).startsWith("tcp!127.0.0.1!" + registry.styxPort() + ": authentication failed: ");
    }

    @Test
    void anExpiredCertificateIsReportedByTheRegistry() {
        EmbeddedRegistry registry = registry("server.rsa", List.of());
        Throwable f = failure(connector(registry, "alice", "alice-expired.rsa", "sha1").connect(new RecordingListener()));
        assertThat(((RegistryAuthenticationException) f).reason()).isEqualTo("remote: certificate expired");
    }

    @Test
    void anAlgorithmTheRegistryDoesNotAllowIsNamed() {
        EmbeddedRegistry registry = registry("server.rsa", List.of("sha1"));
        Throwable f = failure(connector(registry, "alice", "alice.rsa", "rc4_256 sha1").connect(new RecordingListener()));
        assertThat(f).isInstanceOf(RegistryAuthenticationException.class);
        assertThat(((RegistryAuthenticationException) f).reason())
                .isEqualTo("closed after authentication: it may not allow 'rc4_256 sha1'; set regmgr.auth.alg");
        RegistrySession ok = join(connector(registry, "alice", "alice.rsa", "sha1").connect(new RecordingListener()));
        assertThat(ok.isOpen()).as("an allowed algorithm still works").isTrue();
    }

    @Test
    void aPlainClientGetsNoServiceFromAnAuthenticatingRegistry() {
        EmbeddedRegistry registry = registry("server.rsa", List.of());
        Throwable f = failure(NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                .requestTimeout(Duration.ofSeconds(10))).connect(new RecordingListener()));
        assertThat(f).as("9P sent where a handshake was expected").isInstanceOf(RegistryAuthenticationException.class)
                .hasMessageContaining("set ConnectorOptions authentication or regmgr.auth.key-file");
        assertThat(((RegistryAuthenticationException) f).reason()).isEqualTo("the registry requires authentication");
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void anAuthenticatingClientFailsCleanlyAgainstAPlainRegistry() {
        EmbeddedRegistry registry = NET.registry();
        Throwable f = failure(connector(registry, "alice", "alice.rsa", "sha1").connect(new RecordingListener()));
        assertThat(f).isInstanceOf(RegistryAuthenticationException.class);
    }
}
