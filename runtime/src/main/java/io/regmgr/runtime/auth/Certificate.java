package io.regmgr.runtime.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * A signature in Inferno's certificate form ({@code certtostr}): {@code ALG}, {@code HASHALG},
 * {@code SIGNER}, {@code EXP}, then the signature fields. Signs the integer
 * {@code H(data || "SIGNER EXP")}. Used for key certificates and for the handshake's alpha
 * signatures. Immutable.
 *
 * @param alg the signature algorithm
 * @param hashAlg {@code sha1} (everything Inferno makes), {@code sha} or {@code md5}
 * @param signer the signing key's owner
 * @param expires seconds since 1970 UTC; 0 never expires
 * @param signature the signature fields
 */
public record Certificate(SignatureAlg alg, String hashAlg, String signer, long expires, List<BigInteger> signature) {
    private static final long MAX_EXPIRY = 0xffff_ffffL;

    /** Copies {@code signature}. */
    public Certificate {
        signature = List.copyOf(signature);
    }

    /**
     * @param text a certificate text; lines after the fields are ignored
     * @throws AuthException {@code bad certificate syntax} naming what is wrong
     */
    public static Certificate parse(String text) {
        String reason = "bad certificate syntax";
        String[] lines = Texts.lines(text, 4, reason);
        SignatureAlg alg = SignatureAlg.named(lines[0], reason);
        Texts.lines(text, 4 + alg.signatureFields(), reason);
        if (!lines[3].matches("[0-9]{1,10}") || Long.parseLong(lines[3]) > MAX_EXPIRY) {
            throw new AuthException(reason, "expiry '" + Texts.shorten(lines[3])
                    + "' is not a decimal number of seconds below 2^32");
        }
        return new Certificate(alg, lines[1], lines[2], Long.parseLong(lines[3]),
                Texts.numbers(lines, 4, alg.signatureFields(), "certificate", reason));
    }

    /**
     * Signs {@code data} with SHA-1, as every Inferno tool does.
     *
     * @param key the signer's secret key; its owner becomes {@link #signer()}
     * @param expires seconds since 1970 UTC, 0 for never
     */
    public static Certificate sign(SecretKey key, byte[] data, long expires, SecureRandom random) {
        BigInteger m = digest("sha1", data, key.owner(), expires);
        return new Certificate(key.alg(), "sha1", key.owner(), expires, key.alg().sign(key.fields(), m, random));
    }

    /**
     * @return whether this signs {@code data} under {@code key}: same algorithm, signature
     *     equation holds over {@code H(data || "SIGNER EXP")} with this certificate's signer and expiry
     * @throws AuthException for a dsa key or an unknown hash algorithm
     */
    public boolean verifies(PublicKey key, byte[] data) {
        if (key.alg() != alg) {
            return false;
        }
        return alg.verify(key.fields(), digest(hashAlg, data, signer, expires), signature);
    }

    /** @return whether {@code expires} is set and not after {@code nowSeconds} */
    public boolean expiredAt(long nowSeconds) {
        return expires != 0 && expires <= nowSeconds;
    }

    /** @return the text, every line ending in a newline */
    public String text() {
        return Texts.join(List.of(alg.wireName(), hashAlg, signer, Long.toString(expires)), signature, 0);
    }

    private static BigInteger digest(String hashAlg, byte[] data, String signer, long expires) {
        String jce = switch (hashAlg) {
            case "sha1", "sha" -> "SHA-1";
            case "md5" -> "MD5";
            default -> throw new AuthException("bad certificate", "hash algorithm '" + Texts.shorten(hashAlg)
                    + "' is not one of sha1, sha, md5");
        };
        try {
            MessageDigest md = MessageDigest.getInstance(jce);
            md.update(data);
            md.update((signer + " " + expires).getBytes(StandardCharsets.ISO_8859_1));
            return new BigInteger(1, md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jce, e);
        }
    }

    @Override
    public String toString() {
        return alg + "/" + hashAlg + " signature by '" + signer + "'" + (expires == 0 ? "" : " expiring " + expires);
    }
}
