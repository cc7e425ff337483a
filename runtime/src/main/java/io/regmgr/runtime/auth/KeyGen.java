package io.regmgr.runtime.auth;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;

/**
 * Makes keys as Inferno's {@code auth/createsignerkey} and {@code auth/mkauthinfo} do: a signer's
 * self-signed key file with fresh Diffie-Hellman parameters ({@code p} of the key's size,
 * {@code alpha} the 160-bit prime dividing {@code p-1}), and user key files signed by it,
 * generated with the signer's parameters. Stateless; slow (prime searches: about a second for
 * 1024 bits).
 */
public final class KeyGen {
    /** Bits of the DH modulus, as {@code dhparams(1024)}. */
    public static final int DH_BITS = 1024;
    private static final int Q_BITS = 160;
    private static final BigInteger RSA_SIGNER_EXPONENT = BigInteger.valueOf(65537);
    /** Prime certainty: error below 2^-100. */
    private static final int CERTAINTY = 100;

    private KeyGen() {
    }

    /**
     * A signer key file, as {@code createsignerkey [-a ALG] [-b BITS] [-e DATE] NAME}.
     *
     * @param alg {@link SignatureAlg#RSA} (Inferno's default) or {@link SignatureAlg#ELGAMAL}
     * @param bits the key's size, at least 512
     * @param expires the self-certificate's expiry in seconds since 1970, 0 for never
     */
    public static KeyFile signer(SignatureAlg alg, String name, int bits, long expires, SecureRandom random) {
        if (bits < 512) {
            throw new IllegalArgumentException("key size " + bits + " bits is below 512");
        }
        BigInteger[] dh = dhParams(DH_BITS, random);
        SecretKey sk = alg == SignatureAlg.RSA ? rsa(name, bits, RSA_SIGNER_EXPONENT, 1 << 7, random)
                : elgamal(name, bits, random);
        PublicKey pk = sk.publicKey();
        Certificate cert = Certificate.sign(sk, pk.bytes(), expires, random);
        return new KeyFile(pk, cert, sk, dh[0], dh[1]);
    }

    /**
     * A user's key file signed by {@code signer}, as {@code mkauthinfo -k SIGNER [-e DATE] USER}:
     * the same algorithm, size and DH parameters as the signer's.
     *
     * @param expires the certificate's expiry in seconds since 1970, 0 for never
     */
    public static KeyFile user(KeyFile signer, String user, long expires, SecureRandom random) {
        SecretKey ssk = signer.secretKey();
        ssk.alg().usable();
        int bits = ssk.fields().get(0).bitLength();
        SecretKey sk = ssk.alg() == SignatureAlg.RSA ? rsa(user, bits, null, 0, random) : elgamalLike(ssk, user, random);
        PublicKey pk = sk.publicKey();
        Certificate cert = Certificate.sign(ssk, pk.bytes(), expires, random);
        return new KeyFile(signer.publicKey(), cert, sk, signer.alpha(), signer.modulus());
    }

    /** @return {alpha, p}: p prime with a 160-bit prime q dividing p-1, alpha = q (as Inferno's dhparams) */
    static BigInteger[] dhParams(int bits, SecureRandom random) {
        BigInteger q = BigInteger.probablePrime(Q_BITS, random);
        while (true) {
            BigInteger k = new BigInteger(bits - Q_BITS, random).setBit(bits - Q_BITS - 1).clearBit(0);
            BigInteger p = k.multiply(q).add(BigInteger.ONE);
            if (p.bitLength() == bits && p.isProbablePrime(CERTAINTY)) {
                return new BigInteger[] {q, p};
            }
        }
    }

    /** @param ek the public exponent, or null for a small random one coprime to (p-1)(q-1) */
    private static SecretKey rsa(String owner, int bits, BigInteger ek, int mask, SecureRandom random) {
        while (true) {
            BigInteger p = BigInteger.probablePrime(bits / 2, random);
            BigInteger q = BigInteger.probablePrime(bits - bits / 2, random);
            BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
            BigInteger e = ek != null ? ek : BigInteger.valueOf(3 + 2 * random.nextInt(8));
            if (p.equals(q) || !e.gcd(phi).equals(BigInteger.ONE)) {
                continue;
            }
            BigInteger dk = e.modInverse(phi);
            return new SecretKey(SignatureAlg.RSA, owner, List.of(p.multiply(q), e, dk, p, q,
                    dk.mod(p.subtract(BigInteger.ONE)), dk.mod(q.subtract(BigInteger.ONE)), p.modInverse(q)), mask);
        }
    }

    private static SecretKey elgamal(String owner, int bits, SecureRandom random) {
        BigInteger[] group = dhParams(bits, random);
        BigInteger p = group[1];
        BigInteger q = group[0];
        BigInteger alpha;
        do {
            BigInteger h = new BigInteger(bits - 1, random).add(BigInteger.TWO);
            alpha = h.modPow(p.subtract(BigInteger.ONE).divide(q), p);
        } while (alpha.equals(BigInteger.ONE));
        return elgamalKey(owner, p, alpha, random);
    }

    private static SecretKey elgamalLike(SecretKey signer, String owner, SecureRandom random) {
        return elgamalKey(owner, signer.fields().get(0), signer.fields().get(1), random);
    }

    private static SecretKey elgamalKey(String owner, BigInteger p, BigInteger alpha, SecureRandom random) {
        BigInteger secret = new BigInteger(p.bitLength() - 1, random);
        return new SecretKey(SignatureAlg.ELGAMAL, owner, List.of(p, alpha, alpha.modPow(secret, p), secret), 0);
    }
}
