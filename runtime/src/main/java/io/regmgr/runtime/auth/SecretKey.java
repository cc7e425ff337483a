package io.regmgr.runtime.auth;

import java.math.BigInteger;
import java.util.List;

/**
 * A secret key as Inferno's {@code sktostr} writes it: {@code ALG}, {@code OWNER}, then the secret
 * fields of {@link SignatureAlg}. Immutable; {@link #toString()} never shows a field.
 *
 * @param alg the signature algorithm
 * @param owner the key's owner
 * @param fields the secret fields in text order
 * @param unsignedMask bit i set: field i is written without the 0x00 sign byte (how
 *     {@code createsignerkey} writes RSA's {@code c2}), so that files read are written back byte
 *     for byte
 */
public record SecretKey(SignatureAlg alg, String owner, List<BigInteger> fields, int unsignedMask) {
    /** Copies {@code fields}. */
    public SecretKey {
        fields = List.copyOf(fields);
    }

    /**
     * @param text a secret-key text
     * @throws AuthException {@code bad sk arg} naming what is wrong (never a field's value)
     */
    public static SecretKey parse(String text) {
        String reason = "bad sk arg";
        String[] lines = Texts.lines(text, 2, reason);
        SignatureAlg alg = SignatureAlg.named(lines[0], reason);
        Texts.lines(text, 2 + alg.secretFields(), reason);
        List<BigInteger> fields = Texts.numbers(lines, 2, alg.secretFields(), "secret key", reason);
        int mask = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (BigText.isUnsignedForm(lines[2 + i], fields.get(i))) {
                mask |= 1 << i;
            }
        }
        return new SecretKey(alg, lines[1], fields, mask);
    }

    /** @return the text, as it was read or as Inferno's tools would write it */
    public String text() {
        return Texts.join(List.of(alg.wireName(), owner), fields, unsignedMask);
    }

    /** @return the public half: same algorithm and owner */
    public PublicKey publicKey() {
        return new PublicKey(alg, owner, alg.publicOf(fields));
    }

    @Override
    public String toString() {
        return alg + " secret key of '" + owner + "'";
    }
}
