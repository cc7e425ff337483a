package io.regmgr.runtime.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * The algorithm frame the client sends after authentication (ssl(3)'s {@code alg} string): a
 * hash, a cipher, both, {@code clear} (framing only) or {@code none} (no record layer). Words are
 * separated by blanks or {@code /}; a later word of one kind replaces an earlier one, as in
 * devssl. Supported: hashes {@code md5 sha1 sha}; ciphers {@code rc4 rc4_40 rc4_128 rc4_256
 * des_56_cbc descbc des_56_ecb desecb des_40_cbc des_40_ecb}. {@code md4} (absent from the JDK)
 * and {@code idea*} are refused with a message saying so. Immutable.
 *
 * @param text the string as sent
 * @param hash the hash word, or null
 * @param cipher the cipher word, or null
 */
public record SslAlgorithm(String text, String hash, String cipher) {
    /** The longest string a real Inferno can push ({@code alg STRING} must fit 31 bytes). */
    public static final int MAX_LENGTH = 27;
    /** Hash words this implementation supports. */
    public static final List<String> HASHES = List.of("md5", "sha1", "sha");
    /** Cipher words this implementation supports. */
    public static final List<String> CIPHERS = List.of("rc4", "rc4_40", "rc4_128", "rc4_256", "des_56_cbc", "descbc",
            "des_56_ecb", "desecb", "des_40_cbc", "des_40_ecb");
    private static final List<String> REFUSED = List.of("md4", "ideacbc", "ideaecb");

    /**
     * @param text e.g. {@code rc4_256 sha1}, {@code sha1/rc4_256}, {@code none}
     * @throws AuthException naming the word and the rule
     */
    public static SslAlgorithm parse(String text) {
        List<String> words = words(text);
        if (words.isEmpty()) {
            throw new AuthException("can't read client ssl algorithm", "the algorithm string is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new AuthException("push ssl", "algorithm string '" + Texts.shorten(text) + "' is longer than "
                    + MAX_LENGTH + " characters");
        }
        if (words.size() == 1 && (words.get(0).equals("none") || words.get(0).equals("clear"))) {
            return new SslAlgorithm(text, null, null);
        }
        String hash = null;
        String cipher = null;
        for (String w : words) {
            if (REFUSED.contains(w)) {
                throw new AuthException("unsupported ssl algorithm: " + w, "RegMgr does not implement " + w
                        + "; use rc4_256 sha1, sha1 or md5");
            } else if (HASHES.contains(w)) {
                hash = w;
            } else if (CIPHERS.contains(w)) {
                cipher = w;
            } else {
                throw new AuthException("unknown ssl algorithm: " + Texts.shorten(w), "'none' and 'clear' stand alone;"
                        + " other words are one of " + HASHES + " and one of " + CIPHERS);
            }
        }
        return new SslAlgorithm(text, hash, cipher);
    }

    /** @return the words of {@code text}, split on blanks and {@code /} */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.split("[ /\t]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * The server's check: every word must be in {@code allowed} (each entry one word, as
     * {@code listen -a}).
     *
     * @throws AuthException {@code unsupported client algorithm: WORD} for the first word not allowed
     */
    public static SslAlgorithm accept(String text, List<String> allowed) {
        for (String w : words(text)) {
            if (!allowed.contains(w)) {
                throw new AuthException("unsupported client algorithm: " + Texts.shorten(w), "allowed: " + allowed);
            }
        }
        return parse(text);
    }

    /** @return what a stock {@code listen} without {@code -a} allows: {@code none}, every cipher and hash */
    public static List<String> listenDefaults() {
        List<String> all = new ArrayList<>(List.of("none"));
        all.addAll(CIPHERS);
        all.addAll(HASHES);
        return List.copyOf(all);
    }

    /** @return whether no record layer is pushed: 9P goes on in the clear */
    public boolean isNone() {
        return words(text).equals(List.of("none"));
    }

    /** @return a record writer keyed with {@code secret} (not for {@link #isNone()}) */
    public RecordSealer sealer(byte[] secret) {
        return new RecordSealer(new RecordCrypto(hash, cipher, secret, true));
    }

    /** @return a record reader keyed with {@code secret} (not for {@link #isNone()}) */
    public RecordOpener opener(byte[] secret) {
        return new RecordOpener(new RecordCrypto(hash, cipher, secret, false));
    }

    @Override
    public String toString() {
        return text;
    }
}
