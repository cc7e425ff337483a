package io.regmgr.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every key file Inferno's tools made parses, verifies and is written back byte for byte. */
class KeyFileTest {
    static Iterable<String> keys() {
        return Vectors.keyNames();
    }

    static Iterable<String> dsaKeys() {
        return Vectors.dsaKeyNames();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void parsesVerifiesAndRoundTrips(String name) {
        KeyFile k = roundTrip(name);
        boolean otherSigner = name.contains("othersigner");
        assertThat(k.certificate().signer()).as("signer of %s", name).isEqualTo(otherSigner ? "othersigner" : "signer");
        assertThat(k.certificateVerifies()).as("certificate of %s", name).isTrue();
        assertThat(k.alpha().bitLength()).as("dh base of %s", name).isEqualTo(160);
        assertThat(k.modulus().subtract(BigInteger.ONE).mod(k.alpha())).as("alpha divides p-1").isEqualTo(BigInteger.ZERO);
        if (name.startsWith("signer") || name.startsWith("othersigner")) {
            assertThat(k.signer()).as("a signer file's frame 1 is its own public key").isEqualTo(k.publicKey());
        }
    }

    @ParameterizedTest
    @MethodSource("dsaKeys")
    void dsaKeysParseAndRoundTripButAreRefused(String name) {
        KeyFile k = roundTrip(name);
        assertThatThrownBy(k::certificateVerifies).isInstanceOf(AuthException.class)
                .hasMessageContaining("dsa keys are refused");
    }

    private static KeyFile roundTrip(String name) {
        byte[] original = Vectors.bytes("keys/" + name);
        KeyFile k = KeyFile.parse(original);
        assertThat(k.bytes()).as("%s written back", name).isEqualTo(original);
        return k;
    }

    @Test
    void expiriesAreRead() {
        assertThat(Vectors.key("alice-expired.rsa").certificate().expires()).isEqualTo(1_000_000_000L);
        assertThat(Vectors.key("alice-expiring.rsa").certificate().expiredAt(Vectors.RECORDED_NOW)).isTrue();
        assertThat(Vectors.key("alice.rsa").certificate().expiredAt(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aSignerKeyKeepsItsUnprefixedC2() {
        KeyFile k = Vectors.key("signer.rsa");
        KeyFile copy = new KeyFile(k.signer(), k.certificate(), k.secretKey(), k.alpha(), k.modulus());
        assertThat(copy.bytes()).isEqualTo(Vectors.bytes("keys/signer.rsa"));
    }

    @Test
    void brokenFilesFailWithInfernosWords() {
        byte[] good = Vectors.bytes("keys/alice.rsa");
        assertThatThrownBy(() -> KeyFile.parse(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(AuthException.class).hasMessageStartingWith("input or format error")
                .hasMessageContaining("exactly five frames");
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> KeyFile.parse(longer)).hasMessageContaining("bytes after them");
        byte[] garbage = "0003\nxyz".getBytes();
        assertThatThrownBy(() -> KeyFile.parse(garbage)).hasMessageStartingWith("input or format error");
    }

    @Test
    void anUnreadableFileIsRefusedWithTheReasonNotTheJdksExceptionName(@TempDir Path dir) {
        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> KeyFiles.read(absent)).isInstanceOf(AuthException.class)
                .hasMessageContaining("'" + absent + "'").hasMessageEndingWith("(cannot read it: no such file)")
                .hasMessageNotContaining("Exception");
        assertThatThrownBy(() -> KeyFiles.read(dir)).isInstanceOf(AuthException.class)
                .hasMessageContaining("cannot read it: ").hasMessageNotContaining("Exception:");
    }

    @Test
    void toStringShowsNoSecret() {
        KeyFile k = Vectors.key("alice.rsa");
        String secretField = BigText.encode(k.secretKey().fields().get(2));
        assertThat(k.toString() + k.secretKey() + k.certificate() + k.publicKey())
                .doesNotContain(secretField).contains("alice");
    }
}
