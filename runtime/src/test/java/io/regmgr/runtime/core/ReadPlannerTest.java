package io.regmgr.runtime.core;

import io.regmgr.Filter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented rule that picks one find per distinct filter or one index read. */
class ReadPlannerTest {
    private static List<Filter> filters(int count) {
        List<Filter> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(Filter.of("watch", "w" + i));
        }
        return list;
    }

    private static ReadPlanner learnt(int indexLines, List<Filter> filters, int linesEach) {
        ReadPlanner p = new ReadPlanner(null);
        p.indexRead(indexLines);
        filters.forEach(f -> p.filterRead(f, linesEach));
        return p;
    }

    @Test
    void oneFilterIsAlwaysAFind() {
        assertThat(new ReadPlanner(null).prefersIndex(filters(1), 1)).as("nothing known yet").isFalse();
        assertThat(learnt(10, filters(1), 10).prefersIndex(filters(1), 5)).as("matching everything, bridge").isFalse();
    }

    @Test
    void severalFiltersBeforeTheIndexSizeIsKnownReadTheIndexOnce() {
        assertThat(new ReadPlanner(null).prefersIndex(filters(2), 1)).as("two filters, sizes unknown").isTrue();
    }

    @Test
    void selectiveFiltersAreFindsAndManyDistinctOnesAreOneIndexRead() {
        assertThat(learnt(1_000, filters(10), 1).prefersIndex(filters(10), 1))
                .as("9P: 10 selective filters, 1,000 services").isFalse();
        assertThat(learnt(1_000, filters(1_000), 1).prefersIndex(filters(1_000), 1))
                .as("9P: 1,000 distinct filters, 1,000 services").isTrue();
        assertThat(learnt(10_000, filters(100), 1).prefersIndex(filters(100), 1))
                .as("9P: 100 selective filters, 10,000 services (100 reads against 79)").isFalse();
        assertThat(learnt(1_000, filters(10), 1).prefersIndex(filters(10), 5))
                .as("bridge: 10 find connections against one, 1,000 services").isTrue();
        assertThat(learnt(1_000, filters(2), 1).prefersIndex(filters(2), 5))
                .as("bridge: 2 selective filters, 1,000 services").isFalse();
    }

    @Test
    void ourOwnParsingOfTheIndexCountsToo() {
        // 130 finds: 130 requests + 130 lines (29,770); the index: 79 requests + 10,000 lines
        // formatted by the registry and a quarter as much to parse them (30,512). Without our
        // parsing counted the index (28,012) would be chosen.
        assertThat(learnt(10_000, filters(130), 1).prefersIndex(filters(130), 1))
                .as("9P: 130 selective filters, 10,000 services").isFalse();
        assertThat(learnt(10_000, filters(140), 1).prefersIndex(filters(140), 1))
                .as("9P: 140 selective filters, 10,000 services").isTrue();
        assertThat(learnt(10_000, filters(26), 1).prefersIndex(filters(26), 5))
                .as("bridge: 26 find connections, 10,000 services").isFalse();
        assertThat(learnt(10_000, filters(30), 1).prefersIndex(filters(30), 5))
                .as("bridge: 30 find connections, 10,000 services").isTrue();
    }

    @Test
    void aBridgeFindOnAConnectionOpenedInAdvanceCostsThreeRequests() {
        // the bridge walked and opened find when it accepted the connection: the filter's write and
        // two reads remain, 3 x 228 + 1 = 685 a find; the index (a find of everything) costs 3 too
        assertThat(learnt(1_000, filters(5), 1).prefersIndex(filters(5), 3))
                .as("pooled bridge: 5 finds (3,425) against the index (3,530), 1,000 services").isFalse();
        assertThat(learnt(1_000, filters(5), 1).prefersIndex(filters(5), 5))
                .as("the same without the pool: 5 finds (5,705) against the index (3,986)").isTrue();
        assertThat(learnt(1_000, filters(6), 1).prefersIndex(filters(6), 3))
                .as("pooled bridge: 6 finds (4,110), 1,000 services").isTrue();
        assertThat(learnt(10_000, filters(45), 1).prefersIndex(filters(45), 3))
                .as("pooled bridge: 45 finds (30,825) against the index (30,968), 10,000 services").isFalse();
        assertThat(learnt(10_000, filters(46), 1).prefersIndex(filters(46), 3))
                .as("pooled bridge: 46 finds (31,510), 10,000 services").isTrue();
    }

    @Test
    void aFilterNeverReadCountsAsTheWholeIndex() {
        ReadPlanner p = learnt(1_000, filters(2), 1);
        List<Filter> withNew = new ArrayList<>(filters(2));
        withNew.add(Filter.of("watch", "new"));
        assertThat(p.prefersIndex(withNew, 1)).as("a new filter among selective ones").isTrue();
    }
}
