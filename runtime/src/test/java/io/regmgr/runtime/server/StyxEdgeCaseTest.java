package io.regmgr.runtime.server;

import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Rflush;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rremove;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tflush;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.regmgr.runtime.protocol.StyxMessage.NOFID;
import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;
import static io.regmgr.runtime.protocol.StyxMessage.OREAD;
import static io.regmgr.runtime.protocol.StyxMessage.ORDWR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 9P2000 edge cases of the embedded server, message by message, against intro(5), walk(5),
 * open(5), read(5), stat(5) and what the real registry does, in every profile: each case is a
 * sequence of requests on one session (root fid 0, msize 8216) and the reply the last one must get.
 */
class StyxEdgeCaseTest {
    private static final Qid ROOT = new Qid(StyxMessage.QTDIR, 0, 0);
    private static final Qid INDEX = new Qid(StyxMessage.QTFILE, 0, 2);

    /** One case: requests before, the request under test, and what must answer it. */
    record Case(String name, List<StyxMessage> before, StyxMessage request, StyxMessage expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> all = List.of(
                new Case("walk ['index','..'] from the root: partial Rwalk, 1 qid", List.of(),
                        new Twalk(10, 0, 1, List.of("index", "..")), new Rwalk(10, List.of(INDEX))),
                new Case("after the partial walk the new fid is not bound",
                        List.of(new Twalk(9, 0, 1, List.of("index", ".."))), new Tstat(10, 1), new Rerror(10, "bad fid")),
                new Case("walk ['..'] from a fid on index: not a directory",
                        List.of(new Twalk(9, 0, 1, List.of("index"))), new Twalk(10, 1, 2, List.of("..")),
                        new Rerror(10, "not a directory")),
                new Case("walk ['..'] from a service file: not a directory",
                        List.of(new Twalk(8, 0, 1, List.of("new")), new Topen(9, 1, ORDWR),
                                new Twrite(7, 1, 0, bytes("svc a b")), new Twalk(6, 0, 2, List.of("svc"))),
                        new Twalk(10, 2, 3, List.of("..")), new Rerror(10, "not a directory")),
                new Case("walk ['..'] from the root: the root is its own parent", List.of(),
                        new Twalk(10, 0, 1, List.of("..")), new Rwalk(10, List.of(ROOT))),
                new Case("walk ['index','index']: partial Rwalk", List.of(),
                        new Twalk(10, 0, 1, List.of("index", "index")), new Rwalk(10, List.of(INDEX))),
                new Case("walk of no names clones the fid", List.of(), new Twalk(10, 0, 1, List.of()), new Rwalk(10, List.of())),
                new Case("walk to a fid in use", List.of(new Twalk(9, 0, 1, List.of())),
                        new Twalk(10, 0, 1, List.of("index")), new Rerror(10, "fid in use")),
                new Case("walk of a missing name", List.of(), new Twalk(10, 0, 1, List.of("nope")),
                        new Rerror(10, "file does not exist")),
                new Case("walk of an open fid", List.of(new Twalk(8, 0, 1, List.of("index")), new Topen(9, 1, OREAD)),
                        new Twalk(10, 1, 2, List.of()), new Rerror(10, "walk of open fid")),
                new Case("open twice", List.of(new Twalk(8, 0, 1, List.of("index")), new Topen(9, 1, OREAD)),
                        new Topen(10, 1, OREAD), new Rerror(10, "fid already opened")),
                new Case("read of a fid not open", List.of(new Twalk(9, 0, 1, List.of("index"))),
                        new Tread(10, 1, 0, 100), new Rerror(10, "read/write -- on non open fid")),
                new Case("read of count 0", openIndex(), new Tread(10, 1, 0, 0), new Rread(10, new byte[0])),
                new Case("read at an offset past the end", openIndex(), new Tread(10, 1, 1 << 20, 100),
                        new Rread(10, new byte[0])),
                new Case("read of count msize - 24 is allowed", openIndex(), new Tread(10, 1, 0, 8216 - 24),
                        new Rread(10, new byte[0])),
                new Case("read of count above msize - 24", openIndex(), new Tread(10, 1, 0, 8216 - 23),
                        new Rerror(10, "read/write -- count too big")),
                new Case("read of a negative offset", openIndex(), new Tread(10, 1, -1, 10),
                        new Rerror(10, "read/write -- bad offset")),
                new Case("directory read of count 0", openRoot(), new Tread(10, 1, 0, 0), new Rread(10, new byte[0])),
                new Case("directory read with a count too small for one entry reads nothing", openRoot(),
                        new Tread(10, 1, 0, 10), new Rread(10, new byte[0])),
                new Case("directory read at an offset inside an entry", openRoot(), new Tread(10, 1, 3, 1000),
                        new Rerror(10, "read/write -- bad offset")),
                new Case("write to a read-only fid", openIndex(), new Twrite(10, 1, 0, bytes("x")),
                        new Rerror(10, "read/write -- not open in suitable mode")),
                new Case("stat of the root", List.of(), new Tstat(10, 0), null),
                new Case("clunk of an unknown fid answers and the server keeps serving", List.of(), new Tclunk(10, 77),
                        new Rerror(10, "bad fid")),
                new Case("clunk twice", List.of(new Twalk(8, 0, 1, List.of()), new Tclunk(9, 1)), new Tclunk(10, 1),
                        new Rerror(10, "bad fid")),
                new Case("remove of index is refused and clunks the fid", List.of(new Twalk(8, 0, 1, List.of("index")),
                        new Tremove(9, 1)), new Tclunk(10, 1), new Rerror(10, "bad fid")),
                new Case("flush of a tag not in flight", List.of(), new Tflush(10, 1234), new Rflush(10)),
                new Case("flush of itself", List.of(), new Tflush(10, 10), new Rflush(10)),
                new Case("attach to a fid in use", List.of(), new Tattach(10, 0, NOFID, "alice", ""),
                        new Rerror(10, "fid in use")));
        List<Arguments> args = new ArrayList<>();
        for (RegistryProfile p : RegistryProfile.values()) {
            for (Case c : all) {
                args.add(Arguments.of(p, c));
            }
        }
        return args.stream();
    }

    private static List<StyxMessage> openIndex() {
        return List.of(new Twalk(8, 0, 1, List.of("index")), new Topen(9, 1, OREAD));
    }

    private static List<StyxMessage> openRoot() {
        return List.of(new Twalk(8, 0, 1, List.of()), new Topen(9, 1, OREAD));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A session on a fresh registry, version 8216 negotiated and the root attached as fid 0. */
    private static final class Session {
        final RegistryState state = new RegistryState("registry", () -> 1_700_000_000L, new RegistryCounters());
        final List<StyxMessage> replies = new ArrayList<>();
        final StyxSession session;

        Session(RegistryProfile profile, int msize) {
            session = new StyxSession(state, replies::add, profile.maxMessageSize(), 64, profile);
            session.handle(new Tversion(NOTAG, msize, "9P2000"));
            session.handle(new Tattach(1, 0, NOFID, "alice", ""));
            replies.clear();
        }

        List<StyxMessage> send(StyxMessage m) {
            replies.clear();
            session.handle(m);
            return List.copyOf(replies);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void edgeCase(RegistryProfile profile, Case c) {
        Session s = new Session(profile, 8216);
        for (StyxMessage m : c.before()) {
            s.send(m);
        }
        List<StyxMessage> replies = s.send(c.request());
        assertThat(replies).as("%s, %s: replies", profile, c).hasSize(1);
        if (c.expected() == null) {
            assertThat(replies.get(0)).as("%s, %s", profile, c).isInstanceOf(Rstat.class);
        } else {
            assertThat(replies.get(0)).as("%s, %s", profile, c).isEqualTo(c.expected());
        }
    }

    /** @return a session whose fid 1 is open on {@code event} with a read (tag 20) parked */
    private static Session withEventReadParked(RegistryProfile profile) {
        Session s = new Session(profile, 8216);
        s.send(new Twalk(8, 0, 1, List.of("event")));
        s.send(new Topen(9, 1, OREAD));
        assertThat(s.send(new Tread(20, 1, 0, 64))).as("%s: the event read parks", profile).isEmpty();
        return s;
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void clunkOfAFidWithAReadPendingAnswersTheReadThenTheClunk(RegistryProfile profile) {
        Session s = withEventReadParked(profile);
        assertThat(s.send(new Tclunk(21, 1))).as("%s: clunk with the read pending", profile)
                .containsExactly(new Rerror(20, "fid clunked"), new Rclunk(21));
        assertThat(s.send(new Tflush(22, 20))).as("%s: a flush of the answered read", profile).containsExactly(new Rflush(22));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void removeOfAFidWithAReadPendingAnswersTheReadThenRefusesAndClunks(RegistryProfile profile) {
        Session s = withEventReadParked(profile);
        assertThat(s.send(new Tremove(21, 1))).as("%s: remove of event with the read pending", profile)
                .containsExactly(new Rerror(20, "fid clunked"), new Rerror(21, "permission denied"));
        assertThat(s.send(new Tclunk(22, 1))).as("%s: the fid is gone", profile).containsExactly(new Rerror(22, "bad fid"));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void aSecondEventReadOnTheSameFidIsRefused(RegistryProfile profile) {
        Session s = withEventReadParked(profile);
        assertThat(s.send(new Tread(21, 1, 0, 64))).as("%s: a concurrent event read", profile)
                .containsExactly(new Rerror(21, "concurrent read for event fid"));
        assertThat(s.send(new Tread(20, 1, 0, 64))).as("%s: a request reusing the tag in flight", profile)
                .containsExactly(new Rerror(20, "duplicate tag"));
        assertThat(s.send(new Tflush(22, 20))).as("%s: a flush of the parked read: only the Rflush", profile).containsExactly(new Rflush(22));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void aFlushedEventReadIsNeverAnswered(RegistryProfile profile) {
        Session s = withEventReadParked(profile);
        assertThat(s.send(new Tflush(21, 20))).as("%s: flush", profile).containsExactly(new Rflush(21));
        s.send(new Twalk(22, 0, 2, List.of("new")));
        s.send(new Topen(23, 2, ORDWR));
        assertThat(s.send(new Twrite(24, 2, 0, bytes("svc a b")))).as("%s: a change after the flush", profile)
                .containsExactly(new Rwrite(24, 7));
        assertThat(s.send(new Tread(25, 1, 0, 64))).as("%s: the next read gets the change", profile)
                .containsExactly(new Rread(25, bytes("00000001\n")));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void tversionMidSessionAbortsAParkedReadWithoutAReplyEvenWhenItsClunksChangeTheRegistry(RegistryProfile profile) {
        Session s = withEventReadParked(profile);
        s.send(new Twalk(10, 0, 2, List.of("new")));
        s.send(new Topen(11, 2, ORDWR));
        s.send(new Twrite(12, 2, 0, bytes("svc a b"))); // a change: the parked read's answer would be due
        assertThat(s.replies).as("%s: the parked read answered by the registration", profile)
                .contains(new Rread(20, bytes("00000001\n")));
        assertThat(s.send(new Tread(21, 1, 0, 64))).as("%s: the event read parks again", profile).isEmpty();
        // version(5): a Tversion aborts every outstanding request, which gets no reply; clunking the
        // creator fid removes svc (a change) but must not answer the aborted read.
        assertThat(s.send(new Tversion(NOTAG, 8216, "9P2000"))).as("%s: Tversion answers only itself", profile)
                .containsExactly(new Rversion(NOTAG, 8216, "9P2000"));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void tversionMidSessionKeepsTheFidsOnlyBehindExport(RegistryProfile profile) {
        Session s = new Session(profile, 8216);
        s.send(new Twalk(8, 0, 1, List.of("index")));
        assertThat(s.send(new Tversion(NOTAG, 8216, "9P2000"))).as("%s: Tversion", profile)
                .containsExactly(new Rversion(NOTAG, 8216, "9P2000"));
        List<StyxMessage> stat = s.send(new Tstat(10, 1));
        if (profile == RegistryProfile.EXPORTED) {
            assertThat(stat.get(0)).as("%s keeps the fid", profile).isInstanceOf(Rstat.class);
        } else {
            assertThat(stat).as("%s abandons the fid (9P)", profile).containsExactly(new Rerror(10, "bad fid"));
        }
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void tstatAboveMsize65544(RegistryProfile profile) {
        int msize = Math.min(65560, profile.maxMessageSize());
        Session s = new Session(profile, 65560);
        assertThat(s.session.msize()).as("%s: msize negotiated for 65560", profile).isEqualTo(msize);
        List<StyxMessage> stat = s.send(new Tstat(10, 0));
        if (profile == RegistryProfile.EXPORTED) {
            assertThat(stat).as("%s: Tstat at 65560", profile).containsExactly(new Rerror(10, "stat buffer too small"));
            Session at65544 = new Session(profile, 65544);
            assertThat(at65544.send(new Tstat(10, 0)).get(0)).as("%s: Tstat at 65544", profile).isInstanceOf(Rstat.class);
        } else {
            assertThat(stat.get(0)).as("%s: Tstat at %s", profile, msize).isInstanceOf(Rstat.class);
        }
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void aWriteLongerThanTheIounit(RegistryProfile profile) {
        Session s = new Session(profile, profile.maxMessageSize());
        s.send(new Twalk(8, 0, 1, List.of("new")));
        Ropen opened = (Ropen) s.send(new Topen(9, 1, ORDWR)).get(0);
        assertThat(opened.iounit()).as("%s: iounit", profile).isEqualTo(8192);
        s.send(new Twrite(11, 1, 0, bytes("svc a b")));
        // 8195 bytes: export applies the first 8192 (k2 cut to 'value'), then fails on 'XYZ' (odd pairs)
        char[] fill = new char[8180];
        Arrays.fill(fill, 'x');
        String text = "k1 " + new String(fill) + " k2 valueXYZ";
        StyxMessage reply = profile.maxMessageSize() - 24 < text.length() ? null : s.send(new Twrite(12, 1, 0, bytes(text))).get(0);
        Function<String, String> attr = k -> s.state.byName("svc").attributes().get(k).orElse(null);
        if (profile == RegistryProfile.EXPORTED) {
            assertThat(reply).as("%s: the long write fails", profile).isInstanceOf(Rerror.class);
            assertThat(attr.apply("k1")).as("%s: the first piece was applied", profile).isEqualTo(new String(fill));
            assertThat(attr.apply("k2")).as("%s: cut at the iounit", profile).isEqualTo("value");
        } else if (reply != null) {
            assertThat(reply).as("%s: the long write", profile).isEqualTo(new Rwrite(12, text.length()));
            assertThat(attr.apply("k2")).as("%s: applied whole", profile).isEqualTo("valueXYZ");
        }
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void whoOwnsAService(RegistryProfile profile) {
        Session alice = new Session(profile, 8216);
        alice.send(new Twalk(8, 0, 1, List.of("new")));
        alice.send(new Topen(9, 1, ORDWR));
        alice.send(new Twrite(10, 1, 0, bytes("svc a b")));
        List<StyxMessage> bobReplies = new ArrayList<>();
        StyxSession bob = new StyxSession(alice.state, bobReplies::add, profile.maxMessageSize(), 64, profile);
        bob.handle(new Tversion(NOTAG, 8216, "9P2000"));
        bob.handle(new Tattach(1, 0, NOFID, "bob", ""));
        bob.handle(new Twalk(2, 0, 1, List.of("svc")));
        bobReplies.clear();
        bob.handle(new Tremove(3, 1));
        if (profile == RegistryProfile.EXPORTED) {
            assertThat(bobReplies).as("%s: every client is the exporter", profile).containsExactly(new Rremove(3));
        } else {
            assertThat(bobReplies).as("%s: attach uname honoured", profile)
                    .containsExactly(new Rerror(3, "permission denied"));
        }
    }
}
