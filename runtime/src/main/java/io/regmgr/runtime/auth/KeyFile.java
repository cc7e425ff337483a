package io.regmgr.runtime.auth;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Inferno key file ("authinfo"): five frames holding the signer's public key, the certificate
 * of my public key, my secret key, and the Diffie-Hellman base and modulus. Read and written byte
 * for byte as Inferno's {@code readauthinfo}/{@code writeauthinfo}. Immutable;
 * {@link #toString()} names the owner and the signer, never a secret.
 *
 * @param signer the signer's public key
 * @param certificate the certificate of {@link #publicKey()} by the signer
 * @param secretKey my secret key
 * @param alpha the Diffie-Hellman base
 * @param modulus the Diffie-Hellman modulus {@code p}
 */
public record KeyFile(PublicKey signer, Certificate certificate, SecretKey secretKey, BigInteger alpha,
        BigInteger modulus) {
    private static final String READ_ERROR = "input or format error";

    /**
     * @param bytes the file's content
     * @throws AuthException {@code input or format error} naming the frame and the rule
     */
    public static KeyFile parse(byte[] bytes) {
        FrameReader reader = new FrameReader(AuthFrames.MAX_PAYLOAD);
        reader.feed(bytes, 0, bytes.length);
        List<String> frames = new ArrayList<>();
        try {
            for (AuthFrames.Frame f = reader.next(); f != null && frames.size() < 5; f = reader.next()) {
                if (f.error()) {
                    throw new AuthException(READ_ERROR, "frame " + (frames.size() + 1) + " is an error frame");
                }
                frames.add(f.text());
            }
            if (frames.size() < 5 || reader.inFrame() || reader.take().length > 0) {
                throw new AuthException(READ_ERROR, "a key file is exactly five frames, found " + frames.size()
                        + " and " + (frames.size() < 5 ? "a cut one" : "bytes after them"));
            }
            return new KeyFile(PublicKey.parse(frames.get(0)), Certificate.parse(frames.get(1)),
                    SecretKey.parse(frames.get(2)), BigText.decode(frames.get(3), "dh base"),
                    BigText.decode(frames.get(4), "dh modulus"));
        } catch (AuthException e) {
            throw e.reason().equals(READ_ERROR) ? e : new AuthException(READ_ERROR, e.getMessage());
        }
    }

    /** @return the file's bytes: five frames, the last two without a newline */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String t : List.of(signer.text(), certificate.text(), secretKey.text(), BigText.encode(alpha),
                BigText.encode(modulus))) {
            out.writeBytes(AuthFrames.message(t));
        }
        return out.toByteArray();
    }

    /** @return my public key, derived from the secret key */
    public PublicKey publicKey() {
        return secretKey.publicKey();
    }

    /** @return my name: the secret key's owner */
    public String owner() {
        return secretKey.owner();
    }

    /** @return whether the certificate verifies with the signer's key over my public key */
    public boolean certificateVerifies() {
        return certificate.verifies(signer, publicKey().bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyFile k && Arrays.equals(k.bytes(), bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    @Override
    public String toString() {
        return "key file of '" + owner() + "' (" + secretKey.alg() + ", signed by '" + certificate.signer() + "')";
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
