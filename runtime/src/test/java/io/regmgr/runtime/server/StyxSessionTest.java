package io.regmgr.runtime.server;

import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.Stat;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rattach;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tauth;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tcreate;
import io.regmgr.runtime.protocol.StyxMessage.Tflush;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.regmgr.runtime.protocol.StyxMessage.NOFID;
import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;
import static io.regmgr.runtime.protocol.StyxMessage.OREAD;
import static io.regmgr.runtime.protocol.StyxMessage.ORCLOSE;
import static io.regmgr.runtime.protocol.StyxMessage.ORDWR;
import static io.regmgr.runtime.protocol.StyxMessage.OWRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The 9P2000 file semantics of one connection, driven message by message without a network. */
class StyxSessionTest {
    private final RegistryState state = new RegistryState("registry", () -> 1_700_000_000L, new RegistryCounters());
    private final List<StyxMessage> replies = new ArrayList<>();
    private final StyxSession alice = session("alice");
    private int tag = 1;

    private StyxSession session(String uname) {
        StyxSession s = new StyxSession(state, replies::add, 65560, 64);
        s.handle(new Tversion(NOTAG, 8216, "9P2000"));
        s.handle(new Tattach(tag++, 0, NOFID, uname, ""));
        replies.clear();
        return s;
    }

    private StyxMessage call(StyxSession s, StyxMessage m) {
        replies.clear();
        s.handle(m);
        assertThat(replies).as("replies to %s", m).hasSize(1);
        return replies.get(0);
    }

    private void assertError(StyxSession s, StyxMessage m, String error) {
        assertThat(call(s, m)).as("reply to %s", m).isEqualTo(new Rerror(m.tag(), error));
    }

    private int openFile(StyxSession s, int fid, String name, int mode) {
        assertThat(call(s, new Twalk(tag++, 0, fid, List.of(name)))).as("walk to %s", name).isInstanceOf(Rwalk.class);
        assertThat(call(s, new Topen(tag++, fid, mode))).as("open %s", name).isInstanceOf(Ropen.class);
        return fid;
    }

    private StyxMessage write(StyxSession s, int fid, String text) {
        return call(s, new Twrite(tag++, fid, 0, text.getBytes(StandardCharsets.UTF_8)));
    }

    private String read(StyxSession s, int fid) {
        StyxMessage r = call(s, new Tread(tag++, fid, 0, 8000));
        assertThat(r).as("read reply").isInstanceOf(Rread.class);
        return new String(((Rread) r).data(), StandardCharsets.UTF_8);
    }

    @Test
    void versionNegotiation() {
        StyxSession s = new StyxSession(state, replies::add, 65560, 64);
        assertThat(call(s, new Tversion(NOTAG, 1 << 20, "9P2000"))).as("large msize").isEqualTo(new Rversion(NOTAG, 65560, "9P2000"));
        assertThat(call(s, new Tversion(NOTAG, 8216, "9P2000.u"))).as("9P2000.u").isEqualTo(new Rversion(NOTAG, 8216, "9P2000"));
        assertThat(s.msize()).as("negotiated msize").isEqualTo(8216);
        assertThat(call(s, new Tversion(NOTAG, 8216, "9P1"))).as("unknown version").isEqualTo(new Rversion(NOTAG, 8216, "unknown"));
        assertError(s, new Tversion(NOTAG, 100, "9P2000"), "version: message size too small");
    }

    @Test
    void authIsNotRequired() {
        assertError(alice, new Tauth(tag++, 5, "alice", ""), "authentication not required");
    }

    @Test
    void rootQidCarriesTheEventVersion() {
        int fid = openFile(alice, 1, "new", ORDWR);
        write(alice, fid, "svc a b");
        Rstat stat = (Rstat) call(alice, new Tstat(tag++, 0));
        assertThat(stat.stat().qid()).as("root qid").isEqualTo(new Qid(0x80, 1, 0));
        assertThat(stat.stat().mtime()).as("root mtime = start time").isEqualTo(1_700_000_000L);
    }

    @Test
    void fileQidsAreFixed() {
        assertThat(((Rwalk) call(alice, new Twalk(tag++, 0, 1, List.of("new")))).qids()).as("new").containsExactly(new Qid(0, 0, 1));
        assertThat(((Rwalk) call(alice, new Twalk(tag++, 0, 2, List.of("index")))).qids()).as("index").containsExactly(new Qid(0, 0, 2));
        assertThat(((Rwalk) call(alice, new Twalk(tag++, 0, 3, List.of("event")))).qids()).as("event").containsExactly(new Qid(0, 0, 3));
        assertThat(((Rwalk) call(alice, new Twalk(tag++, 0, 4, List.of("find")))).qids()).as("find").containsExactly(new Qid(0, 0, 4));
    }

    @Test
    void openingNewReturnsTheServiceQid() {
        call(alice, new Twalk(tag++, 0, 1, List.of("new")));
        Ropen open = (Ropen) call(alice, new Topen(tag++, 1, ORDWR));
        assertThat(open.qid().path() & 0xf).as("qid path kind").isEqualTo(5);
        assertThat(open.iounit()).as("iounit").isEqualTo(8192);
        write(alice, 1, "svc a b");
        Rwalk walk = (Rwalk) call(alice, new Twalk(tag++, 0, 2, List.of("svc")));
        assertThat(walk.qids().get(0)).as("walked service qid").isEqualTo(new Qid(0, 1, open.qid().path()));
    }

    @Test
    void fidErrors() {
        assertError(alice, new Tclunk(tag++, 99), "bad fid");
        assertError(alice, new Tattach(tag++, 0, NOFID, "alice", ""), "fid in use");
        openFile(alice, 1, "index", OREAD);
        assertError(alice, new Twalk(tag++, 1, 2, List.of()), "walk of open fid");
        assertError(alice, new Topen(tag++, 1, OREAD), "fid already opened");
        assertError(alice, new Twalk(tag++, 0, 1, List.of()), "fid in use");
        assertError(alice, new Twalk(tag++, 0, 3, List.of("nosuch")), "file does not exist");
        assertError(alice, new Tcreate(tag++, 0, "x", 0666, ORDWR), "permission denied");
    }

    @Test
    void aPartialWalkAnswersTheQidsItGotAndCreatesNoFid() {
        Rwalk walk = (Rwalk) call(alice, new Twalk(tag++, 0, 5, List.of("..", "nosuch")));
        assertThat(walk.qids()).as("qids").hasSize(1);
        assertError(alice, new Tclunk(tag++, 5), "bad fid");
    }

    @Test
    void readAndWriteNeedASuitableMode() {
        call(alice, new Twalk(tag++, 0, 1, List.of("index")));
        assertError(alice, new Tread(tag++, 1, 0, 100), "read/write -- on non open fid");
        assertError(alice, new Topen(tag++, 1, OWRITE), "permission denied");
        call(alice, new Topen(tag++, 1, OREAD));
        assertError(alice, new Twrite(tag++, 1, 0, new byte[] {'x'}), "read/write -- not open in suitable mode");
        assertError(alice, new Tread(tag++, 1, 0, 9000), "read/write -- count too big");
    }

    @Test
    void onlyTheOwnerMayWriteOrRemoveAServiceFile() {
        int fid = openFile(alice, 1, "new", ORDWR);
        write(alice, fid, "svc a b");
        StyxSession bob = session("bob");
        call(bob, new Twalk(tag++, 0, 1, List.of("svc")));
        assertError(bob, new Topen(tag++, 1, OWRITE), "permission denied");
        assertThat(read(bob, openFile(bob, 2, "svc", OREAD))).as("bob reads it").isEqualTo("svc a b\n");
        assertError(bob, new Tremove(tag++, 1), "permission denied");
        assertError(bob, new Tclunk(tag++, 1), "bad fid");
        int own = openFile(alice, 2, "svc", OWRITE);
        write(alice, own, "c d");
        assertThat(state.byName("svc").attributes().get("c")).as("owner's write").contains("d");
        call(alice, new Tremove(tag++, 2));
        assertThat(state.byName("svc")).as("removed by owner").isNull();
        StyxMessage late = write(alice, fid, "e f");
        assertThat(late).as("creator's write after removal").isEqualTo(new Rerror(tag - 1, "buggy program!"));
    }

    @Test
    void clunkingTheCreatorUnregistersAndOrcloseOverridesPersist() {
        write(alice, openFile(alice, 1, "new", ORDWR), "keep persist 1");
        write(alice, openFile(alice, 2, "new", ORDWR | ORCLOSE), "gone persist 1");
        call(alice, new Tclunk(tag++, 1));
        call(alice, new Tclunk(tag++, 2));
        assertThat(state.services()).as("services").extracting(s -> s.name).containsExactly("keep");
    }

    @Test
    void findFilterIsPerFidAndAnOddWriteKeepsTheOldOne() {
        write(alice, openFile(alice, 1, "new", ORDWR), "s1 proto tcp");
        write(alice, openFile(alice, 2, "new", ORDWR), "s2 proto udp");
        int find = openFile(alice, 3, "find", ORDWR);
        write(alice, find, "proto tcp");
        assertThat(write(alice, find, "proto")).as("odd filter").isInstanceOf(Rerror.class);
        assertThat(read(alice, find)).as("old filter kept").isEqualTo("s1 proto tcp\n");
        write(alice, find, "");
        assertThat(read(alice, find)).as("cleared filter").isEqualTo("s1 proto tcp\ns2 proto udp\n");
    }

    @Test
    void readsAtLaterOffsetsContinueTheSnapshot() {
        write(alice, openFile(alice, 1, "new", ORDWR), "s1 a b");
        int index = openFile(alice, 2, "index", OREAD);
        Rread first = (Rread) call(alice, new Tread(tag++, index, 0, 3));
        write(alice, openFile(alice, 3, "new", ORDWR), "s2 a b");
        Rread rest = (Rread) call(alice, new Tread(tag++, index, 3, 100));
        assertThat(new String(first.data(), StandardCharsets.UTF_8) + new String(rest.data(), StandardCharsets.UTF_8))
                .as("snapshot").isEqualTo("s1 a b\n");
    }

    @Test
    void eventReadsParkAndFlushCancelsThem() {
        int event = openFile(alice, 1, "event", OREAD);
        replies.clear();
        alice.handle(new Tread(77, event, 0, 9));
        assertThat(replies).as("parked").isEmpty();
        assertError(alice, new Tread(77, event, 0, 9), "duplicate tag");
        assertThat(call(alice, new Tflush(78, 77))).as("flush reply").isEqualTo(new StyxMessage.Rflush(78));
        write(alice, openFile(alice, 2, "new", ORDWR), "svc a b");
        alice.handle(new Tread(79, event, 0, 9));
        assertThat(replies).as("next read answered at once").last()
                .isEqualTo(new Rread(79, "00000001\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void directoryReadListsFilesAndServicesInWholeEntries() {
        write(alice, openFile(alice, 1, "new", ORDWR), "svc a b");
        call(alice, new Twalk(tag++, 0, 2, List.of()));
        call(alice, new Topen(tag++, 2, OREAD));
        List<Stat> entries = new ArrayList<>();
        long offset = 0;
        while (true) {
            Rread r = (Rread) call(alice, new Tread(tag++, 2, offset, 100));
            if (r.data().length == 0) {
                break;
            }
            entries.addAll(StyxCodec.decodeStats(r.data()));
            offset += r.data().length;
        }
        assertThat(entries).as("entries").extracting(Stat::name).containsExactly("new", "index", "find", "event", "svc");
        assertThat(entries.get(4).uid()).as("service owner").isEqualTo("alice");
        assertThat(entries.get(4).mode()).as("service mode").isEqualTo(0644);
    }

    @Test
    void aClientSendingAnRMessageBreaksTheProtocol() {
        assertThatThrownBy(() -> alice.handle(new Rattach(1, new Qid(0, 0, 0)))).as("Rattach from a client")
                .isInstanceOf(ProtocolViolationException.class);
    }

    @Test
    void closingTheConnectionClunksEveryFid() {
        write(alice, openFile(alice, 1, "new", ORDWR), "svc a b");
        alice.closeAll();
        assertThat(state.services()).as("services after the connection closed").isEmpty();
        assertThat(alice.openFids()).as("fids").isZero();
    }

    @Test
    void fidsAreBounded() {
        StyxSession s = new StyxSession(state, replies::add, 65560, 2);
        s.handle(new Tattach(1, 0, NOFID, "alice", ""));
        call(s, new Twalk(2, 0, 1, List.of()));
        assertError(s, new Twalk(3, 0, 2, List.of()), "too many fids");
    }
}
