package io.regmgr.runtime.server;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every rule of the registry(4) state machine, from spec section 1 ("Semantics"). */
class RegistryStateTest {
    private final RegistryState state = new RegistryState("registry", () -> 1_700_000_000L, new RegistryCounters());

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Service register(String owner, String line) {
        Service s = state.openNew(owner, new Object());
        state.write(s, bytes(line));
        return s;
    }

    private String index() {
        return new String(state.index(), StandardCharsets.UTF_8);
    }

    private void assertRefused(Service s, String line, String error) {
        assertThatThrownBy(() -> state.write(s, bytes(line))).as("write %s", line)
                .isInstanceOf(RegistryError.class).hasMessage(error);
    }

    @Nested
    class Naming {
        @Test
        void firstWriteNamesTheServiceWithItsAttributes() {
            Service s = register("alice", "tcp!127.0.0.1!1234 proto tcp");
            assertThat(index()).as("index").isEqualTo("tcp!127.0.0.1!1234 proto tcp\n");
            assertThat(s.vers).as("qid.vers after one write").isEqualTo(1);
            assertThat(state.version()).as("registry version").isEqualTo(1);
        }

        @Test
        void quotedWordsAreParsedAndQuotedBack() {
            register("alice", "q1 k 'two words'");
            register("alice", "'it''s' k v");
            register("alice", "q2 k ''");
            assertThat(index()).as("index").isEqualTo("q1 k 'two words'\n'it''s' k v\nq2 k ''\n");
        }

        @Test
        void openingNewIsNotAChangeAndIdsAreNeverReused() {
            Service a = state.openNew("alice", new Object());
            assertThat(state.version()).as("version after opening new").isZero();
            state.release(a, false);
            assertThat(state.version()).as("version after clunking an unnamed fid").isZero();
            Service b = state.openNew("alice", new Object());
            assertThat(b.id).as("id of the next service").isGreaterThan(a.id);
            assertThat(b.qidPath()).as("qid path").isEqualTo((b.id << 4) | 5);
        }

        @Test
        void duplicateName() {
            register("alice", "svc a 1");
            assertRefused(state.openNew("bob", new Object()), "svc b 2", "duplicate service name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"new", "index", "find", "event", "''"})
        void reservedOrEmptyNames(String name) {
            assertRefused(state.openNew("alice", new Object()), name + " a b", "bad service name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"'a b'", "a/b", "'a\tb'", "a\u007fb", "'a\u0001b'"})
        void badCharacters(String name) {
            assertRefused(state.openNew("alice", new Object()), name + " a b", "bad character in service name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t\n"})
        void emptyOrBlankWriteIsBadSyntax(String line) {
            Service s = state.openNew("alice", new Object());
            assertRefused(s, line, "bad syntax");
            Service named = register("alice", "svc a b");
            assertRefused(named, line, "bad syntax");
        }

        @Test
        void oddFirstWriteStillNamesTheService() {
            Service s = state.openNew("alice", new Object());
            assertRefused(s, "svc a", "odd attribute/value pairs");
            assertThat(index()).as("index after an odd first write").isEqualTo("svc\n");
            assertThat(state.version()).as("naming is a change").isEqualTo(1);
        }

        @Test
        void aFailedFirstWriteLeavesTheFidUnnamed() {
            Service s = state.openNew("alice", new Object());
            assertRefused(s, "new a b", "bad service name");
            state.write(s, bytes("good a b"));
            assertThat(index()).as("index").isEqualTo("good a b\n");
        }

        @Test
        void nulTruncatesAValueAndInvalidUtf8IsReplaced() {
            Service s = state.openNew("alice", new Object());
            state.write(s, new byte[] {'s', ' ', 'k', ' ', 'a', 0, 'b', ' ', 'u', ' ', (byte) 0xff});
            assertThat(s.attributes()).as("attributes").isEqualTo(Attributes.of("k", "a", "u", "\ufffd"));
        }
    }

    @Nested
    class Updates {
        @Test
        void laterWritesAddOrReplaceAttributesAndCountAsChanges() {
            Service s = register("alice", "svc a 1 b 2");
            state.write(s, bytes("b 3 c 4"));
            assertThat(s.attributes()).as("attributes").isEqualTo(Attributes.of("a", "1", "b", "3", "c", "4"));
            assertThat(s.vers).as("qid.vers").isEqualTo(2);
            assertThat(state.version()).as("version").isEqualTo(2);
        }

        @Test
        void oddUpdateIsRefusedWhole() {
            Service s = register("alice", "svc a 1");
            assertRefused(s, "a 2 b", "odd attribute/value pairs");
            assertThat(s.attributes()).as("attributes unchanged").isEqualTo(Attributes.of("a", "1"));
            assertThat(state.version()).as("version unchanged").isEqualTo(1);
        }

        @Test
        void writingAfterRemovalIsABuggyProgram() {
            Service s = register("alice", "svc a 1");
            state.remove(s, "alice");
            assertRefused(s, "a 2", "buggy program!");
        }
    }

    @Nested
    class Removal {
        @Test
        void closingTheCreatorRemovesTheService() {
            Service s = register("alice", "svc a 1");
            state.release(s, false);
            assertThat(index()).as("index").isEmpty();
            assertThat(state.version()).as("removal is a change").isEqualTo(2);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "2", " 7", "-1", "1x"})
        void persistentServicesSurviveTheirCreator(String persist) {
            Service s = register("alice", "svc persist '" + persist + "'");
            state.release(s, false);
            assertThat(state.byName("svc")).as("persist %s", persist).isNotNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "yes", "''", "x1"})
        void nonIntegerPersistCountsAsZero(String persist) {
            Service s = register("alice", "svc persist " + persist);
            state.release(s, false);
            assertThat(state.byName("svc")).as("persist %s", persist).isNull();
        }

        @Test
        void orcloseRemovesEvenAPersistentService() {
            Service s = register("alice", "svc persist 1");
            state.release(s, true);
            assertThat(state.byName("svc")).as("service").isNull();
        }

        @Test
        void onlyTheOwnerMayRemove() {
            Service s = register("alice", "svc a 1");
            assertThatThrownBy(() -> state.remove(s, "bob")).as("remove by bob")
                    .isInstanceOf(RegistryError.class).hasMessage("permission denied");
            state.remove(s, "alice");
            assertThat(state.byName("svc")).as("removed by alice").isNull();
        }
    }

    @Nested
    class Find {
        @Test
        void filterMatchesEveryPairWithWildcards() {
            register("a", "s1 proto tcp port 1");
            register("a", "s2 proto udp port 2");
            register("a", "s3 port 3");
            assertThat(text(state.find(RegistryState.parseFilter(bytes("proto tcp"))))).isEqualTo("s1 proto tcp port 1\n");
            assertThat(text(state.find(RegistryState.parseFilter(bytes("proto *"))))).as("wildcard")
                    .isEqualTo("s1 proto tcp port 1\ns2 proto udp port 2\n");
            assertThat(text(state.find(RegistryState.parseFilter(bytes(""))))).as("empty filter")
                    .isEqualTo(index());
            assertThat(text(state.find(RegistryState.parseFilter(bytes("proto tcp port 2"))))).as("both pairs").isEmpty();
        }

        @Test
        void oddFilterIsRefused() {
            assertThatThrownBy(() -> RegistryState.parseFilter(bytes("proto"))).as("odd filter")
                    .isInstanceOf(RegistryError.class).hasMessage("odd attribute/value pairs");
        }

        @Test
        void resultsAreComputedAtReadTime() {
            Filter f = RegistryState.parseFilter(bytes("proto tcp"));
            register("a", "late proto tcp");
            assertThat(text(state.find(f))).as("service registered after the filter").isEqualTo("late proto tcp\n");
        }

        private String text(byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    @Nested
    class Events {
        private final List<String> replies = new ArrayList<>();

        private void read(RegistryState.EventWatch w, int count) {
            state.readEvent(w, count, b -> replies.add(new String(b, StandardCharsets.US_ASCII)));
        }

        @Test
        void aFreshWatchBlocksUntilTheNextChange() {
            register("a", "s1 a b");
            RegistryState.EventWatch w = state.watchEvents();
            read(w, 9);
            assertThat(replies).as("before any change").isEmpty();
            register("a", "s2 a b");
            assertThat(replies).as("after a change").containsExactly("00000002\n");
        }

        @Test
        void aSlowReaderGetsOnlyTheLatestVersion() {
            RegistryState.EventWatch w = state.watchEvents();
            Service s = register("a", "s1 a b");
            state.write(s, bytes("a c"));
            state.write(s, bytes("a d"));
            read(w, 9);
            read(w, 9);
            assertThat(replies).as("coalesced").containsExactly("00000003\n");
        }

        @Test
        void aSecondConcurrentReadIsRefused() {
            RegistryState.EventWatch w = state.watchEvents();
            read(w, 9);
            assertThatThrownBy(() -> read(w, 9)).as("second read")
                    .isInstanceOf(RegistryError.class).hasMessage("concurrent read for event fid");
        }

        @Test
        void aCancelledReadGetsNothing() {
            RegistryState.EventWatch w = state.watchEvents();
            read(w, 9);
            assertThat(state.cancel(w)).as("cancelled a pending read").isTrue();
            register("a", "s1 a b");
            assertThat(replies).as("replies").isEmpty();
            assertThat(state.cancel(w)).as("nothing left to cancel").isFalse();
        }

        @Test
        void aShortCountTruncatesTheRecordAndTheRestIsLost() {
            RegistryState.EventWatch w = state.watchEvents();
            read(w, 4);
            register("a", "s1 a b");
            read(w, 9);
            assertThat(replies).as("short read, then blocked").containsExactly("0000");
        }

        @Test
        void eachKindOfChangeBumpsTheVersionByOne() {
            Service s = register("a", "s1 a b");
            state.write(s, bytes("c d"));
            state.release(s, false);
            assertThat(state.version()).as("name, write, removal").isEqualTo(3);
        }
    }

    @Nested
    class StaticServices {
        @Test
        void staticServicesArePersistentOwnedByTheRegistryAndNotAChange() {
            assertThat(state.addStatic(ServiceEntry.of("tcp!db!1", "kind", "db"))).as("refusal").isNull();
            assertThat(state.byName("tcp!db!1").owner).as("owner").isEqualTo("registry");
            assertThat(state.version()).as("version").isZero();
            assertThat(state.addStatic(ServiceEntry.of("tcp!db!1"))).as("duplicate").isEqualTo("duplicate service name");
        }
    }

    @Test
    void limboIntConversion() {
        assertThat(Service.limboInt("12abc")).as("12abc").isEqualTo(12);
        assertThat(Service.limboInt(" -3")).as(" -3").isEqualTo(-3);
        assertThat(Service.limboInt("yes")).as("yes").isZero();
        assertThat(Service.limboInt("99999999999999999999")).as("huge").isNotZero();
    }

    @Test
    void indexIsRenderedOncePerVersion() {
        register("a", "s1 a b");
        byte[] first = state.index();
        assertThat(state.index()).as("same version, same text").isSameAs(first);
        register("a", "s2 a b");
        assertThat(state.index()).as("new version, new text").isNotSameAs(first);
    }
}
