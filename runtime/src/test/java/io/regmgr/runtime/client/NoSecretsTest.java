package io.regmgr.runtime.client;

import io.regmgr.runtime.auth.Vectors;
import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.auth.BigText;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.SslAlgorithm;
import io.regmgr.runtime.auth.link.AuthSettings;
import io.regmgr.runtime.server.EmbeddedRegistry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No secret (secret-key fields, a record key) appears in any log line at any level, in any
 * toString or in any exception message, over successful and failing authentications.
 */
class NoSecretsTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private final List<String> seen = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Level rootLevel = root.getLevel();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (seen) {
                seen.add(r.getMessage());
                for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                    seen.add(t.toString());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureEverything() {
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        Logger.getLogger("io.regmgr").setLevel(Level.ALL);
    }

    @AfterEach
    void restore() {
        root.removeHandler(capture);
        root.setLevel(rootLevel);
        Logger.getLogger("io.regmgr").setLevel(null);
    }

    private static List<String> secretsOf(KeyFile k) {
        List<String> out = new ArrayList<>();
        List<BigInteger> f = k.secretKey().fields();
        // rsa: dk p q kp kq c2 are secret (fields 2..7); elgamal: secret (field 3)
        for (int i = k.publicKey().fields().size(); i < f.size(); i++) {
            out.add(BigText.encode(f.get(i)));
            out.add(BigText.encodeUnsigned(f.get(i)));
            out.add(f.get(i).toString());
            out.add(f.get(i).toString(16));
        }
        return out;
    }

    @Test
    void noSecretInLogsToStringsOrMessages() {
        KeyFile server = Vectors.key("server.rsa");
        KeyFile alice = Vectors.key("alice.rsa");
        EmbeddedRegistry registry = NET.registry(b -> b.authentication(server, List.of("rc4_256", "sha1")));
        StyxConnector ok = NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                .authentication(alice, "rc4_256 sha1"));
        join(ok.connect(new RecordingListener()));
        for (String[] bad : List.of(new String[] {"alice-othersigner.rsa", "sha1"}, new String[] {"alice-expired.rsa",
            "sha1"}, new String[] {"alice.rsa", "md5"})) {
            Throwable f = failure(NET.styx(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort())
                    .authentication(Vectors.key(bad[0]), bad[1])).connect(new RecordingListener()));
            for (Throwable t = f; t != null; t = t.getCause()) {
                seen.add(t.toString());
            }
        }
        byte[] recordKey = new byte[128];
        new java.security.SecureRandom().nextBytes(recordKey);
        SslAlgorithm alg = SslAlgorithm.parse("rc4_256 sha1");
        seen.add(alg.sealer(recordKey).toString());
        seen.add(alg.opener(recordKey).toString());
        seen.add(server.toString() + server.secretKey() + AuthSettings.server(server, List.of()));
        List<String> secrets = new ArrayList<>(secretsOf(server));
        secrets.addAll(secretsOf(alice));
        secrets.add(HexFormat.of().formatHex(recordKey));
        secrets.add(java.util.Base64.getEncoder().encodeToString(recordKey));

        synchronized (seen) {
            assertThat(seen).as("something was logged").isNotEmpty();
            for (String line : seen) {
                for (String secret : secrets) {
                    assertThat(String.valueOf(line)).as("a log line, toString or message").doesNotContain(secret);
                }
            }
        }
    }
}
