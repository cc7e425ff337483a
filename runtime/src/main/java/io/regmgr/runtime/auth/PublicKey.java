package io.regmgr.runtime.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A public key as Inferno's {@code pktostr} writes it: {@code ALG}, {@code OWNER}, then the public
 * fields of {@link SignatureAlg}, one line each. Immutable.
 *
 * @param alg the signature algorithm
 * @param owner the key's owner: the name a peer is authenticated as
 * @param fields the public fields in text order
 */
public record PublicKey(SignatureAlg alg, String owner, List<BigInteger> fields) {
    /** Copies {@code fields}. */
    public PublicKey {
        fields = List.copyOf(fields);
    }

    /**
     * @param text a public-key text; lines after the fields are ignored, as in Inferno
     * @throws AuthException {@code bad public key} naming what is wrong
     */
    public static PublicKey parse(String text) {
        String reason = "bad public key";
        String[] lines = Texts.lines(text, 2, reason);
        SignatureAlg alg = SignatureAlg.named(lines[0], reason);
        Texts.lines(text, 2 + alg.publicFields(), reason);
        return new PublicKey(alg, lines[1], Texts.numbers(lines, 2, alg.publicFields(), "public key", reason));
    }

    /** @return the text, each number canonical and every line ending in a newline */
    public String text() {
        return Texts.join(List.of(alg.wireName(), owner), fields, 0);
    }

    /** @return {@link #text()} as bytes: what a certificate of this key signs */
    public byte[] bytes() {
        return text().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return alg + " public key of '" + owner + "' (" + fields.get(0).bitLength() + " bits)";
    }
}
