package io.regmgr.runtime.auth;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Line handling shared by the key, certificate and signature texts. Stateless. */
final class Texts {
    /** Longest piece of a peer's text quoted in an error. */
    private static final int QUOTE = 40;

    private Texts() {
    }

    /**
     * @param text lines separated by {@code \n}
     * @param needed how many lines must be there (more are ignored, as in Inferno)
     * @param reason Inferno's words if there are fewer
     */
    static String[] lines(String text, int needed, String reason) {
        String[] lines = text.split("\n", -1);
        if (lines.length < needed) {
            throw new AuthException(reason, "the text has " + lines.length + " lines, " + needed + " are needed");
        }
        return lines;
    }

    /** @return the integers in {@code lines[from..from+n)} */
    static List<BigInteger> numbers(String[] lines, int from, int n, String what, String reason) {
        List<BigInteger> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (lines[from + i].isEmpty()) {
                throw new AuthException(reason, what + " field " + (i + 1) + " is an empty line, not a number");
            }
            out.add(BigText.decode(lines[from + i], what + " field " + (i + 1)));
        }
        return List.copyOf(out);
    }

    /** @return {@code head} lines then each number, canonical, each followed by a newline */
    static String join(List<String> head, List<BigInteger> numbers, int unsignedMask) {
        StringBuilder b = new StringBuilder();
        for (String h : head) {
            b.append(h).append('\n');
        }
        for (int i = 0; i < numbers.size(); i++) {
            boolean unsigned = (unsignedMask & (1 << i)) != 0;
            b.append(unsigned ? BigText.encodeUnsigned(numbers.get(i)) : BigText.encode(numbers.get(i))).append('\n');
        }
        return b.toString();
    }

    /** @return {@code s} cut for quoting in an error, non-printing characters escaped */
    static String shorten(String s) {
        return shorten(s, QUOTE);
    }

    /** @return {@code s} cut to {@code max} characters, non-printing characters escaped */
    static String shorten(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (char c : cut.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }
}
