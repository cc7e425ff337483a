package io.regmgr.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class QuotingPropertyTest {

    @Provide
    Arbitrary<String> text() {
        return WireArbitraries.text();
    }

    @Provide
    Arbitrary<List<String>> words() {
        return WireArbitraries.text().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> anything() {
        return WireArbitraries.anything();
    }

    @Property
    void aQuotedWordUnquotesToItself(@ForAll("text") String word) {
        assertThat(Quoting.unquote(Quoting.quote(word))).as("unquote(quote(w))").containsExactly(word);
    }

    @Property
    void joinedWordsUnquoteToThemselves(@ForAll("words") List<String> words) {
        assertThat(Quoting.unquote(Quoting.join(words))).as("unquote(join(words))").isEqualTo(words);
    }

    @Property
    void onlyEmptyWordsAndThoseWithBlanksControlsOrQuotesAreQuoted(@ForAll("text") String word) {
        boolean needs = word.isEmpty() || word.chars().anyMatch(c -> c <= ' ' || c == '\'');
        assertThat(Quoting.quote(word).equals(word)).as("'%s' left bare", word).isEqualTo(!needs);
    }

    @Property
    void anyTextUnquotesAndRequotesStably(@ForAll("anything") String text) {
        List<String> words = Quoting.unquote(text);
        assertThat(Quoting.unquote(Quoting.join(words))).as("words of the rewritten text").isEqualTo(words);
    }
}
