package io.regmgr.runtime.protocol;

import io.regmgr.LimitExceededException;
import io.regmgr.RegistryNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The registry's word quoting: Inferno's {@code %q} to write a word and {@code str->unquoted} to
 * split a text back into words (the rc/sh(1) style).
 *
 * <p>A word is written between single quotes when it is empty or contains any character at or
 * below U+0020 (blank, tab, newline, control characters) or a {@code '}; inside the quotes a
 * {@code '} is doubled. Nothing else is quoted: {@code = # { } $ ; !} and non-ASCII letters stay
 * bare, so {@code tcp!127.0.0.1!1234} is written as it is. Characters inside quotes, including
 * newlines and control characters, are written raw.
 *
 * <p>Reading splits words on blanks, tabs and newlines outside quotes (a carriage return is an
 * ordinary character, as in Inferno). A {@code '} opens a quoted section in which {@code ''} is
 * one {@code '} and a single {@code '} closes it; quoted and bare parts of one word concatenate
 * ({@code a'b c'd} is the single word {@code ab cd}); {@code ''} alone is an empty word; an
 * unbalanced quote is closed by the end of the text.
 *
 * <p>These functions quote and split text only: they do not check it against the registry's rules
 * (see {@link RegistryNames}). All methods are stateless and thread-safe, and run in time linear in
 * the length of their input.
 */
public final class Quoting {
    private static final char QUOTE = '\'';

    private Quoting() {
    }

    /**
     * Quotes one word as Inferno's {@code %q} does.
     *
     * @param word any text
     * @return {@code word} itself when it needs no quotes, else {@code word} in single quotes with
     *     each {@code '} doubled
     * @throws NullPointerException if {@code word} is null
     */
    public static String quote(String word) {
        Objects.requireNonNull(word, "word");
        if (!needsQuotes(word)) {
            return word;
        }
        return appendQuoted(new StringBuilder(word.length() + 8), word).toString();
    }

    /**
     * Quotes each word and separates them with one blank.
     *
     * @param words any words (an empty list gives the empty string)
     * @return the quoted words, without a trailing newline
     * @throws NullPointerException if the list or a word is null
     */
    public static String join(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            if (out.length() > 0) {
                out.append(' ');
            }
            appendQuoted(out, Objects.requireNonNull(word, "word"));
        }
        return out.toString();
    }

    /**
     * Quotes each word and separates them with one blank.
     *
     * @param words any words (none gives the empty string)
     * @return the quoted words, without a trailing newline
     * @throws NullPointerException if a word is null
     */
    public static String join(String... words) {
        return join(Arrays.asList(words));
    }

    /**
     * Splits text into words as Inferno's {@code str->unquoted} does, with no limit on the number
     * of words (the text is already in memory, and never holds more words than characters).
     *
     * @param text quoted words separated by blanks, tabs or newlines
     * @return the words, unquoted; unmodifiable
     * @throws NullPointerException if {@code text} is null
     */
    public static List<String> unquote(CharSequence text) {
        return unquote(text, Integer.MAX_VALUE);
    }

    /**
     * Splits text into words as Inferno's {@code str->unquoted} does, refusing more than
     * {@code maxWords} words.
     *
     * @param text quoted words separated by blanks, tabs or newlines
     * @param maxWords the largest number of words accepted, at least 0
     * @return the words, unquoted; unmodifiable
     * @throws LimitExceededException (limit {@code "word count"}) when the text holds more words
     * @throws IllegalArgumentException if {@code maxWords} is negative
     * @throws NullPointerException if {@code text} is null
     */
    public static List<String> unquote(CharSequence text, int maxWords) {
        Objects.requireNonNull(text, "text");
        if (maxWords < 0) {
            throw new IllegalArgumentException("maxWords must be at least 0, not " + maxWords);
        }
        WordCollector words = new WordCollector(text, maxWords);
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean inQuote = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!inQuote && isSeparator(c)) {
                if (inWord) {
                    words.add(word);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c != QUOTE) {
                    word.append(c);
                } else if (inQuote && i + 1 < n && text.charAt(i + 1) == QUOTE) {
                    word.append(QUOTE); // '' inside quotes is one quote
                    i++;
                } else {
                    inQuote = !inQuote;
                }
            }
        }
        if (inWord) {
            words.add(word); // also closes an unbalanced quote, as Inferno does
        }
        return words.result();
    }

    /**
     * @param c a character
     * @return whether {@code c} separates words outside quotes: blank, tab or newline
     */
    static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\n';
    }

    /**
     * Appends {@code word} to {@code out}, quoted when it needs to be.
     *
     * @param out where to append
     * @param word the word
     * @return {@code out}
     */
    static StringBuilder appendQuoted(StringBuilder out, String word) {
        if (!needsQuotes(word)) {
            return out.append(word);
        }
        out.append(QUOTE);
        int start = 0;
        for (int i = word.indexOf(QUOTE); i >= 0; i = word.indexOf(QUOTE, i + 1)) {
            out.append(word, start, i + 1).append(QUOTE);
            start = i + 1;
        }
        return out.append(word, start, word.length()).append(QUOTE);
    }

    private static boolean needsQuotes(String word) {
        if (word.isEmpty()) {
            return true;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c <= ' ' || c == QUOTE) {
                return true;
            }
        }
        return false;
    }

    /** Collects finished words and enforces the word count limit. */
    private static final class WordCollector {
        private final CharSequence text;
        private final int maxWords;
        private final List<String> words = new ArrayList<>();

        WordCollector(CharSequence text, int maxWords) {
            this.text = text;
            this.maxWords = maxWords;
        }

        void add(StringBuilder word) {
            if (words.size() >= maxWords) {
                throw new LimitExceededException("word count", maxWords, maxWords + 1L,
                        "Splitting registry text '" + RegistryNames.printable(text.toString()) + "' into words");
            }
            words.add(word.toString());
            word.setLength(0);
        }

        List<String> result() {
            return List.copyOf(words);
        }
    }
}
