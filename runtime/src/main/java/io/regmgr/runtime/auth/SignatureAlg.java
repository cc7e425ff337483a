package io.regmgr.runtime.auth;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/**
 * Inferno's signature algorithms, with the number of fields in each text form (section 4 of the
 * auth spec) and the arithmetic: textbook RSA over the digest, ElGamal. DSA keys parse, but
 * signing and verifying with them is refused: Inferno's own DSA parser loses fields, so no real
 * Inferno can use them. Stateless.
 */
public enum SignatureAlg {
    /** {@code n ek} / {@code n ek dk p q kp kq c2} / {@code val}; Inferno's default. */
    RSA("rsa", 2, 8, 1),
    /** {@code p alpha key} / {@code p alpha key secret} / {@code r s}. */
    ELGAMAL("elgamal", 3, 4, 2),
    /** {@code p q alpha key} / {@code p q alpha key secret} / {@code r s}; parsed, never used. */
    DSA("dsa", 4, 5, 2);

    private final String wireName;
    private final int publicFields;
    private final int secretFields;
    private final int signatureFields;

    SignatureAlg(String wireName, int publicFields, int secretFields, int signatureFields) {
        this.wireName = wireName;
        this.publicFields = publicFields;
        this.secretFields = secretFields;
        this.signatureFields = signatureFields;
    }

    /** @return the name in texts: {@code rsa}, {@code elgamal}, {@code dsa} */
    public String wireName() {
        return wireName;
    }

    int publicFields() {
        return publicFields;
    }

    int secretFields() {
        return secretFields;
    }

    int signatureFields() {
        return signatureFields;
    }

    /**
     * @param name a text's first line
     * @param reason Inferno's words for the failure of the text being parsed
     * @throws AuthException for a name that is none of {@code rsa elgamal dsa}
     */
    public static SignatureAlg named(String name, String reason) {
        for (SignatureAlg a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        throw new AuthException(reason, "algorithm '" + Texts.shorten(name) + "' is not one of rsa, elgamal, dsa");
    }

    /** Refuses DSA with a message saying why. */
    void usable() {
        if (this == DSA) {
            throw new AuthException("pk doesn't match certificate",
                    "dsa keys are refused: Inferno's own dsa cannot read its key files back; use rsa or elgamal");
        }
    }

    /** @return the public fields of a secret key's fields */
    List<BigInteger> publicOf(List<BigInteger> secret) {
        return secret.subList(0, publicFields);
    }

    /** @return the signature fields of {@code m} under the secret fields {@code sk} */
    List<BigInteger> sign(List<BigInteger> sk, BigInteger m, SecureRandom random) {
        usable();
        if (this == RSA) {
            // val = m^dk mod n, by the Chinese remainder theorem: fields n ek dk p q kp kq c2
            BigInteger p = sk.get(3);
            BigInteger q = sk.get(4);
            BigInteger v1 = m.mod(p).modPow(sk.get(5), p);
            BigInteger v2 = m.mod(q).modPow(sk.get(6), q);
            BigInteger h = sk.get(7).multiply(v2.subtract(v1)).mod(q);
            return List.of(v1.add(h.multiply(p)));
        }
        BigInteger p = sk.get(0);
        BigInteger alpha = sk.get(1);
        BigInteger secret = sk.get(3);
        BigInteger pm1 = p.subtract(BigInteger.ONE);
        BigInteger k;
        do {
            k = new BigInteger(p.bitLength(), random).mod(pm1);
        } while (k.signum() == 0 || !k.gcd(pm1).equals(BigInteger.ONE));
        BigInteger r = alpha.modPow(k, p);
        BigInteger s = m.subtract(secret.multiply(r)).multiply(k.modInverse(pm1)).mod(pm1);
        return List.of(r, s);
    }

    /** @return whether {@code sig} signs {@code m} under the public fields {@code pk} */
    boolean verify(List<BigInteger> pk, BigInteger m, List<BigInteger> sig) {
        usable();
        if (this == RSA) {
            BigInteger n = pk.get(0);
            return sig.get(0).signum() >= 0 && sig.get(0).compareTo(n) < 0 && sig.get(0).modPow(pk.get(1), n).equals(m);
        }
        BigInteger p = pk.get(0);
        BigInteger r = sig.get(0);
        BigInteger s = sig.get(1);
        if (r.signum() <= 0 || r.compareTo(p) >= 0 || p.signum() <= 0) {
            return false;
        }
        BigInteger left = pk.get(2).modPow(r, p).multiply(r.modPow(s, p)).mod(p);
        return left.equals(pk.get(1).modPow(m, p));
    }

    @Override
    public String toString() {
        return wireName.toLowerCase(Locale.ROOT);
    }
}
