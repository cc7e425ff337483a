package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Many filters answered from one listing in one pass: the same answers as testing every filter on every service. */
class FilterIndexTest {
    private static final List<ServiceEntry> SERVICES = List.of(
            ServiceEntry.of("a", "watch", "w1", "proto", "tcp"),
            ServiceEntry.of("b", "watch", "w2", "proto", "udp"),
            ServiceEntry.of("c", "proto", "tcp"),
            ServiceEntry.of("d", "watch", "w1"),
            ServiceEntry.of("e", "kind", "other", "watch", "*"));

    private static List<String> names(List<ServiceEntry> list) {
        return list.stream().map(ServiceEntry::name).toList();
    }

    @Test
    void eachFilterGetsItsMatchesInTheListingsOrder() {
        Map<Filter, List<ServiceEntry>> split = new FilterIndex(List.of(Filter.of("watch", "w1"),
                Filter.of("watch", "*"), Filter.of("watch", "w1", "proto", "tcp"), Filter.of("proto", "*", "watch", "w2"),
                Filter.of("kind", "none"), Filter.all())).split(SERVICES);
        assertThat(names(split.get(Filter.of("watch", "w1")))).as("exact first pair").containsExactly("a", "d");
        assertThat(names(split.get(Filter.of("watch", "*")))).as("any value of watch").containsExactly("a", "b", "d", "e");
        assertThat(names(split.get(Filter.of("watch", "w1", "proto", "tcp")))).as("two pairs").containsExactly("a");
        assertThat(names(split.get(Filter.of("proto", "*", "watch", "w2")))).as("wildcard first, exact second")
                .containsExactly("b");
        assertThat(split.get(Filter.of("kind", "none"))).as("no match: an empty list").isEmpty();
        assertThat(names(split.get(Filter.all()))).as("the empty filter: every service").containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void aLiteralStarInAServiceIsOnlyMatchedByTheWildcardOrItself() {
        Map<Filter, List<ServiceEntry>> split = new FilterIndex(List.of(Filter.of("watch", "w1"), Filter.of("kind", "other",
                "watch", "w1"))).split(SERVICES);
        assertThat(names(split.get(Filter.of("kind", "other", "watch", "w1")))).as("'*' as a value is not a wildcard")
                .isEmpty();
    }

    @Test
    void manyFiltersOverALargeListingGiveWhatTestingEachFilterGives() {
        List<ServiceEntry> services = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            services.add(ServiceEntry.of("s" + i, "watch", "w" + (i % 37), "zone", "z" + (i % 5), "n", Integer.toString(i)));
        }
        List<Filter> filters = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            filters.add(Filter.of("watch", "w" + i));
            filters.add(Filter.of("zone", "z" + (i % 6), "watch", "w" + i));
            filters.add(Filter.of("n", "*", "zone", "z" + (i % 6)));
        }
        Map<Filter, List<ServiceEntry>> split = new FilterIndex(filters).split(services);
        for (Filter f : filters) {
            List<ServiceEntry> expected = services.stream().filter(e -> f.matches(e.attributes())).toList();
            assertThat(split.get(f)).as("matches of %s", f).isEqualTo(expected);
        }
    }
}
