package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented rule that picks one find per distinct filter or one index read. */
class ReadPlannerTest {
    /** Distinct filters that share no attribute: no cover applies, finds or the index. */
    private static List<Filter> filters(int count) {
        List<Filter> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(Filter.of("watch" + i, "yes"));
        }
        return list;
    }

    private static ReadPlanner learnt(int indexLines, List<Filter> filters, int linesEach) {
        ReadPlanner p = new ReadPlanner(null);
        p.indexRead(others(indexLines));
        filters.forEach(f -> p.filterRead(f, linesEach));
        return p;
    }

    private static List<ServiceEntry> others(int count) {
        List<ServiceEntry> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(ServiceEntry.of("other" + i, "kind", "other", "n", Integer.toString(i)));
        }
        return list;
    }

    private static boolean prefersIndex(ReadPlanner p, List<Filter> filters, int requestsPerRead) {
        return p.plan(filters, requestsPerRead).index();
    }

    @Test
    void oneFilterIsAlwaysAFind() {
        assertThat(prefersIndex(new ReadPlanner(null), filters(1), 1)).as("nothing known yet").isFalse();
        assertThat(prefersIndex(learnt(10, filters(1), 10), filters(1), 5)).as("matching everything, bridge").isFalse();
    }

    @Test
    void severalFiltersBeforeTheIndexSizeIsKnownReadTheIndexOnce() {
        assertThat(prefersIndex(new ReadPlanner(null), filters(2), 1)).as("two filters, sizes unknown").isTrue();
    }

    @Test
    void selectiveFiltersAreFindsAndManyDistinctOnesAreOneIndexRead() {
        assertThat(prefersIndex(learnt(1_000, filters(10), 1), filters(10), 1))
                .as("9P: 10 selective filters, 1,000 services").isFalse();
        assertThat(prefersIndex(learnt(1_000, filters(1_000), 1), filters(1_000), 1))
                .as("9P: 1,000 distinct filters, 1,000 services").isTrue();
        assertThat(prefersIndex(learnt(10_000, filters(100), 1), filters(100), 1))
                .as("9P: 100 selective filters, 10,000 services (100 reads against 79)").isFalse();
        assertThat(prefersIndex(learnt(1_000, filters(10), 1), filters(10), 5))
                .as("bridge: 10 find connections against one, 1,000 services").isTrue();
        assertThat(prefersIndex(learnt(1_000, filters(2), 1), filters(2), 5))
                .as("bridge: 2 selective filters, 1,000 services").isFalse();
    }

    @Test
    void ourOwnParsingOfTheIndexCountsToo() {
        // 130 finds: 130 requests + 130 lines (29,770); the index: 79 requests + 10,000 lines
        // formatted by the registry and a quarter as much to parse them (30,512). Without our
        // parsing counted the index (28,012) would be chosen.
        assertThat(prefersIndex(learnt(10_000, filters(130), 1), filters(130), 1))
                .as("9P: 130 selective filters, 10,000 services").isFalse();
        assertThat(prefersIndex(learnt(10_000, filters(140), 1), filters(140), 1))
                .as("9P: 140 selective filters, 10,000 services").isTrue();
        assertThat(prefersIndex(learnt(10_000, filters(26), 1), filters(26), 5))
                .as("bridge: 26 find connections, 10,000 services").isFalse();
        assertThat(prefersIndex(learnt(10_000, filters(30), 1), filters(30), 5))
                .as("bridge: 30 find connections, 10,000 services").isTrue();
    }

    @Test
    void aBridgeFindOnAConnectionOpenedInAdvanceCostsThreeRequests() {
        // the bridge walked and opened find when it accepted the connection: the filter's write and
        // two reads remain, 3 x 228 + 1 = 685 a find; the index (a find of everything) costs 3 too
        assertThat(prefersIndex(learnt(1_000, filters(5), 1), filters(5), 3))
                .as("pooled bridge: 5 finds (3,425) against the index (3,530), 1,000 services").isFalse();
        assertThat(prefersIndex(learnt(1_000, filters(5), 1), filters(5), 5))
                .as("the same without the pool: 5 finds (5,705) against the index (3,986)").isTrue();
        assertThat(prefersIndex(learnt(1_000, filters(6), 1), filters(6), 3))
                .as("pooled bridge: 6 finds (4,110), 1,000 services").isTrue();
        assertThat(prefersIndex(learnt(10_000, filters(45), 1), filters(45), 3))
                .as("pooled bridge: 45 finds (30,825) against the index (30,968), 10,000 services").isFalse();
        assertThat(prefersIndex(learnt(10_000, filters(46), 1), filters(46), 3))
                .as("pooled bridge: 46 finds (31,510), 10,000 services").isTrue();
    }

    @Test
    void aFilterNeverReadCountsAsTheWholeIndex() {
        ReadPlanner p = learnt(1_000, filters(2), 1);
        List<Filter> withNew = new ArrayList<>(filters(2));
        withNew.add(Filter.of("watchnew", "yes"));
        assertThat(prefersIndex(p, withNew, 1)).as("a new filter among selective ones").isTrue();
    }

    /** {@code watch w0} ... {@code watch w<count-1>}: distinct filters sharing the attribute {@code watch}. */
    private static List<Filter> watching(int count) {
        List<Filter> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(Filter.of("watch", "w" + i));
        }
        return list;
    }

    /** A planner that read the index once for {@code filters} (their first sync): others, then one service per filter. */
    private static ReadPlanner synced(List<Filter> filters, List<ServiceEntry> index) {
        ReadPlanner p = new ReadPlanner(null);
        assertThat(p.plan(filters, 1).index()).as("several filters, sizes unknown: the index").isTrue();
        p.indexRead(index);
        return p;
    }

    private static List<ServiceEntry> withWatched(List<ServiceEntry> others, int watched) {
        List<ServiceEntry> list = new ArrayList<>(others);
        for (int i = 0; i < watched; i++) {
            list.add(ServiceEntry.of("watched" + i, "watch", "w" + i));
        }
        return list;
    }

    @Test
    void manyFiltersSharingAnAttributeFewServicesCarryReadOneCover() {
        for (int monitors : new int[] {2, 10, 100, 1_000}) {
            for (int others : new int[] {1_000, 10_000}) {
                List<Filter> filters = watching(monitors);
                ReadPlanner p = synced(filters, withWatched(others(others), 100));
                for (int requestsPerRead : new int[] {1, 5}) {
                    ReadPlan plan = p.plan(filters, requestsPerRead);
                    String what = monitors + " monitors, " + others + " others, " + requestsPerRead + " requests a read";
                    assertThat(plan.index()).as("index, " + what).isFalse();
                    assertThat(plan.covers()).as("covers, " + what).containsExactly(Filter.of("watch", "*"));
                    assertThat(plan.covered().keySet()).as("covered, " + what).containsExactlyElementsOf(filters);
                    assertThat(plan.finds()).as("finds, " + what).isEmpty();
                }
            }
        }
    }

    @Test
    void over9PACoverLongerThanOneReadIsNotTakenOverTheBridgeItIs() {
        // half of 10,000 others carry watch: a cover of 5,000 lines, 39 reads of 8,192 bytes one after the other
        List<ServiceEntry> index = new ArrayList<>(others(10_000));
        for (int i = 0; i < index.size(); i += 2) {
            index.set(i, ServiceEntry.of("other" + i, "watch", "none"));
        }
        ReadPlanner p = synced(watching(100), withWatched(index, 100));
        watching(100).forEach(f -> p.filterRead(f, 1));
        assertThat(p.plan(watching(100), 1).finds()).as("9P: a find each, as without covers").hasSize(100);
        assertThat(p.plan(watching(100), 5).covers()).as("bridge: the cover, one connection streaming 5,100 lines"
                + " (the index: 10,100)").containsExactly(Filter.of("watch", "*"));
        p.filterRead(Filter.of("watch", "*"), 128);
        assertThat(p.plan(watching(100), 1).covers()).as("9P: a cover of 128 lines (8,192 bytes) fits one read")
                .containsExactly(Filter.of("watch", "*"));
        p.filterRead(Filter.of("watch", "*"), 129);
        assertThat(p.plan(watching(100), 1).covers()).as("9P: 129 lines do not").isEmpty();
    }

    @Test
    void aCoverAsLargeAsTheIndexIsNeverTaken() {
        // every other service carries watch too (with another value): the cover lists the whole index
        List<ServiceEntry> others = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            others.add(ServiceEntry.of("other" + i, "watch", "none", "n", Integer.toString(i)));
        }
        ReadPlanner p = synced(watching(100), withWatched(others, 100));
        watching(100).forEach(f -> p.filterRead(f, 1));
        ReadPlan plan = p.plan(watching(100), 1);
        assertThat(plan.covers()).as("9P, 100 selective filters: no cover").isEmpty();
        assertThat(plan.finds()).as("9P, 100 selective filters: a find each, as without covers").hasSize(100);
        assertThat(p.plan(watching(100), 5).index()).as("bridge, 100 selective filters: the index, as without covers")
                .isTrue();
    }

    @Test
    void aCoverWhoseSizeNoIndexReadCountedIsNotTaken() {
        ReadPlanner p = new ReadPlanner(null);
        p.indexRead(others(10_000)); // read before any filter shared watch: its cover was not counted
        watching(100).forEach(f -> p.filterRead(f, 1));
        assertThat(p.plan(watching(100), 1).covers()).as("cover size unknown: counts as the index").isEmpty();
        p.indexRead(others(10_000)); // the plan above made watch a shared attribute: now it is counted
        assertThat(p.plan(watching(100), 1).covers()).as("counted by the next index read")
                .containsExactly(Filter.of("watch", "*"));
    }

    @Test
    void aCoversOwnReadTeachesItsSize() {
        ReadPlanner p = learnt(10_000, watching(100), 1);
        assertThat(p.plan(watching(100), 1).covers()).as("before its read").isEmpty();
        p.filterRead(Filter.of("watch", "*"), 100);
        assertThat(p.plan(watching(100), 1).covers()).as("after its read: 100 lines")
                .containsExactly(Filter.of("watch", "*"));
        p.filterRead(Filter.of("watch", "*"), 10_000);
        assertThat(p.plan(watching(100), 1).covers()).as("after a read showing it as large as the index").isEmpty();
    }

    @Test
    void aFilterThatIsItsOwnCoverIsServedByIt() {
        List<Filter> filters = List.of(Filter.of("watch", "*"), Filter.of("watch", "w1"), Filter.of("watch", "w2"));
        ReadPlanner p = synced(filters, withWatched(others(1_000), 3));
        ReadPlan plan = p.plan(filters, 1);
        assertThat(plan.covers()).as("one cover").containsExactly(Filter.of("watch", "*"));
        assertThat(plan.covered()).as("every filter from it, watch * from itself").containsOnlyKeys(filters)
                .containsEntry(Filter.of("watch", "*"), Filter.of("watch", "*"));
    }

    @Test
    void theCoverThatSavesMostIsTakenFirstAndFiltersWithoutASharedAttributeAreFinds() {
        List<ServiceEntry> index = new ArrayList<>(others(5_000));
        for (int i = 0; i < 30; i++) {
            index.add(ServiceEntry.of("r" + i, "role", "db", "zone", "a"));
        }
        for (int i = 0; i < 3_000; i++) {
            index.set(i, ServiceEntry.of("other" + i, "zone", "b"));
        }
        List<Filter> filters = List.of(Filter.of("role", "db", "zone", "a"), Filter.of("zone", "a", "role", "web"),
                Filter.of("role", "cache", "zone", "b"), Filter.of("solo", "x"));
        ReadPlanner p = synced(filters, index);
        filters.forEach(f -> p.filterRead(f, 0)); // as the index read answered them
        ReadPlan plan = p.plan(filters, 1);
        assertThat(plan.index()).as("index").isFalse();
        assertThat(plan.covers()).as("role (30 services) serves the three, not zone (3,030)")
                .containsExactly(Filter.of("role", "*"));
        assertThat(plan.covered()).as("covered").containsOnlyKeys(filters.subList(0, 3));
        assertThat(plan.finds()).as("the filter sharing nothing").containsExactly(Filter.of("solo", "x"));
    }

    @Test
    void twoGroupsTwoCoversAndEqualSavingsGoToTheAttributeFirstInOrder() {
        List<Filter> filters = List.of(Filter.of("tier", "t1"), Filter.of("tier", "t2"), Filter.of("role", "r1"),
                Filter.of("role", "r2"));
        List<ServiceEntry> index = new ArrayList<>(others(1_000));
        index.add(ServiceEntry.of("a", "tier", "t1"));
        index.add(ServiceEntry.of("b", "role", "r1"));
        ReadPlan plan = synced(filters, index).plan(filters, 1);
        assertThat(plan.covers()).as("two covers, role first (equal savings)")
                .containsExactly(Filter.of("role", "*"), Filter.of("tier", "*"));
        List<Filter> both = List.of(Filter.of("b", "1", "a", "1"), Filter.of("b", "2", "a", "2"));
        index.add(ServiceEntry.of("c", "a", "1", "b", "1"));
        ReadPlan tie = synced(both, index).plan(both, 1);
        assertThat(tie.covers()).as("a and b save as much: a, which then covers both").containsExactly(Filter.of("a", "*"));
    }

    @Test
    void planningManyFiltersTakesBoundedCoversAndNeverCostsMoreThanTheIndex() {
        // 1,000 filters, each sharing one attribute with the next: 1,000 small covers to choose from
        List<Filter> filters = new ArrayList<>();
        List<ServiceEntry> index = new ArrayList<>(others(10_000));
        for (int i = 0; i < 1_000; i++) {
            filters.add(Filter.of("a" + i, "x", "a" + (i + 1), "y"));
            index.add(ServiceEntry.of("s" + i, "a" + i, "x", "a" + (i + 1), "y"));
        }
        ReadPlanner p = synced(filters, index);
        filters.forEach(f -> p.filterRead(f, 1));
        ReadPlan plan = p.plan(filters, 1);
        assertThat(plan.covers()).as("covers taken at most").hasSizeLessThanOrEqualTo(ReadPlanner.MAX_COVERS);
        assertThat(p.plan(filters, 1)).as("the same plan again: deterministic").isEqualTo(plan);
        assertThat(p.plan(watching(1_000), 1).index()).as("1,000 distinct filters on watch, none counted: the index")
                .isTrue();
    }

    /** The breaker's case: a cover of 100 services whose lines are 4 KB each is 49 reads over 9P, one after the other. */
    @Test
    void aCoverOfLongLinesIsNotTakenOver9POnceTheirBytesWereSeen() {
        List<ServiceEntry> index = new ArrayList<>(others(1_000));
        String pad = "x".repeat(4_000);
        for (int i = 0; i < 100; i++) {
            index.add(ServiceEntry.of("big" + i, "A", "big" + i, "pad", pad));
        }
        List<Filter> filters = List.of(Filter.of("A", "v0"), Filter.of("A", "v1"));
        ReadPlanner p = synced(filters, index);
        filters.forEach(f -> p.filterRead(f, 1));
        assertThat(p.plan(filters, 1).covers()).as("9P: the index read showed the cover's 400 KB").isEmpty();
        assertThat(p.plan(filters, 1).finds()).as("9P: a find each").hasSize(2);
        assertThat(p.plan(filters, 5).covers()).as("bridge: 2 finds cost less than 400 KB on one connection").isEmpty();
        p.filterRead(Filter.of("A", "*"), index.subList(1_000, 1_100));
        assertThat(p.plan(filters, 1).covers()).as("9P, after the cover's own read").isEmpty();
    }

    /** The breaker's case: a cover whose read fails (say, over maxAnswerBytes) is not taken again on every change. */
    @Test
    void aCoverWhoseReadFailedIsNotTakenUntilAnIndexReadCountsIt() {
        List<Filter> filters = watching(10);
        ReadPlanner p = synced(filters, withWatched(others(1_000), 100));
        assertThat(p.plan(filters, 1).covers()).as("before").containsExactly(Filter.of("watch", "*"));
        p.readFailed(Filter.of("watch", "*"));
        assertThat(p.plan(filters, 1).covers()).as("after its read failed").isEmpty();
        p.readFailed(Filter.of("watch", "w1")); // not a cover: nothing forgotten
        p.indexRead(withWatched(others(1_000), 100));
        assertThat(p.plan(filters, 1).covers()).as("counted again by an index read").containsExactly(Filter.of("watch", "*"));
    }
}
