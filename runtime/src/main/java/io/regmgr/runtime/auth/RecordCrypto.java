package io.regmgr.runtime.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction's keys and state for devssl records: the MAC (hash of secret, data, sequence
 * number), the cipher (continuing across records) and the 32-bit record counter. The key
 * schedule is the auth spec's section 9 table. Not thread-safe; holds the secret and never
 * prints it.
 */
final class RecordCrypto {
    private final byte[] secret;
    private final MessageDigest digest;
    private final Cipher cipher;
    private final boolean block;
    private int sequence;

    RecordCrypto(String hash, String cipherName, byte[] secret, boolean encrypt) {
        this.secret = secret.clone();
        this.digest = hash == null ? null : newDigest(hash);
        this.block = cipherName != null && cipherName.startsWith("des");
        this.cipher = cipherName == null ? null : newCipher(cipherName, encrypt);
    }

    private static MessageDigest newDigest(String hash) {
        try {
            return MessageDigest.getInstance(hash.equals("md5") ? "MD5" : "SHA-1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hash, e);
        }
    }

    private Cipher newCipher(String name, boolean encrypt) {
        int mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        try {
            if (name.startsWith("rc4")) {
                int len = switch (name) {
                    case "rc4_256" -> secret.length;
                    case "rc4_128" -> 16;
                    default -> 5;
                };
                Cipher c = Cipher.getInstance("ARCFOUR");
                c.init(mode, new SecretKeySpec(Arrays.copyOf(secret, Math.min(len, secret.length)), "ARCFOUR"));
                return c;
            }
            byte[] key = Arrays.copyOf(secret, 8);
            if (name.startsWith("des_40")) {
                for (int i = 0; i < 8; i += 2) {
                    key[i] &= 0x0f;
                }
            }
            SecretKeySpec spec = new SecretKeySpec(key, "DES");
            if (name.endsWith("ecb")) {
                Cipher c = Cipher.getInstance("DES/ECB/NoPadding");
                c.init(mode, spec);
                return c;
            }
            Cipher c = Cipher.getInstance("DES/CBC/NoPadding");
            c.init(mode, spec, new IvParameterSpec(Arrays.copyOfRange(secret, 8, 16)));
            return c;
        } catch (GeneralSecurityException e) {
            throw new AuthException("push ssl", "the JDK refused " + name + ": " + e.getMessage());
        }
    }

    /** @return the MAC length: 0, 16 (md5) or 20 (sha1) */
    int digestLength() {
        return digest == null ? 0 : digest.getDigestLength();
    }

    /** @return whether the cipher works on 8-byte blocks (DES) */
    boolean block() {
        return block;
    }

    /** @return MAC = H(secret || data || seq[4]), for the current record counter */
    byte[] mac(byte[] data, int off, int len) {
        digest.update(secret);
        digest.update(data, off, len);
        digest.update(ByteBuffer.allocate(4).putInt(sequence).array());
        return digest.digest();
    }

    /** Encrypts or decrypts {@code body} in place, continuing the cipher's state. */
    void crypt(byte[] body) {
        if (cipher != null && body.length > 0) {
            byte[] out = cipher.update(body);
            System.arraycopy(out, 0, body, 0, body.length);
        }
    }

    /** Counts one record. */
    void advance() {
        sequence++;
    }

    @Override
    public String toString() {
        return "record state (" + (cipher == null ? "no cipher" : cipher.getAlgorithm()) + ", "
                + digestLength() + "-byte MAC)";
    }
}
