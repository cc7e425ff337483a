package io.regmgr.runtime.server;

import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;
import static io.regmgr.runtime.protocol.StyxMessage.OREAD;
import static io.regmgr.runtime.protocol.StyxMessage.ORDWR;
import static io.regmgr.runtime.server.Eventually.eventually;
import static io.regmgr.runtime.server.StyxSteps.ROOT;
import static io.regmgr.runtime.server.StyxSteps.expect;
import static io.regmgr.runtime.server.StyxSteps.open;
import static io.regmgr.runtime.server.StyxSteps.read;
import static io.regmgr.runtime.server.StyxSteps.register;
import static io.regmgr.runtime.server.StyxSteps.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rflush;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tflush;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import io.regmgr.runtime.protocol.Stat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded registry's 9P2000 front end over real TCP on loopback (a port chosen by the OS):
 * concurrent clients, dropped connections, events, pipelining, msize, the root's version, and the
 * counters. The per-connection file semantics are {@link StyxSessionTest}'s.
 */
class EmbeddedRegistryStyxNetworkTest {

    private EmbeddedRegistry registry;
    private final List<StyxTestClient> clients = new ArrayList<>();

    @BeforeEach
    void startRegistry() {
        registry = EmbeddedRegistry.builder().build().start();
    }

    @AfterEach
    void closeEverything() {
        clients.forEach(StyxTestClient::close);
        registry.close();
    }

    private StyxTestClient client(String uname) {
        StyxTestClient c = StyxSteps.attached(registry.styxPort(), uname);
        clients.add(c);
        return c;
    }

    private static byte[] eventRecord(int version) {
        return String.format("%08d\n", version).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Proves that nothing is queued for {@code c}, e.g. that a read is parked: the server answers
     * in order, so a reply to the parked read would arrive before the reply to this {@code Tstat}.
     */
    private static void assertNothingPending(StyxTestClient c, String why) {
        int tag = c.nextTag();
        c.send(new Tstat(tag, ROOT));
        StyxMessage reply = c.receive();
        assertThat(reply).as("next reply (%s)", why).isInstanceOf(Rstat.class);
        assertThat(reply.tag()).as("tag of the next reply (%s)", why).isEqualTo(tag);
    }

    @Test
    void manyConcurrentClientsRegisterAndEachOwnsItsServices() throws Exception {
        int users = 8;
        int perUser = 50;
        List<StyxTestClient> registrants = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            registrants.add(client("user" + u));
        }
        ExecutorService pool = Executors.newFixedThreadPool(users);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                StyxTestClient c = registrants.get(u);
                String user = "user" + u;
                done.add(pool.submit(() -> {
                    assertThat(go.await(10, TimeUnit.SECONDS)).as("start signal").isTrue();
                    for (int i = 1; i <= perUser; i++) {
                        register(c, i, "svc-" + user + "-" + i + " owner " + user);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, String> expectedOwners = new HashMap<>();
        List<String> expectedLines = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 1; i <= perUser; i++) {
                expectedOwners.put("svc-user" + u + "-" + i, "user" + u);
                expectedLines.add("svc-user" + u + "-" + i + " owner user" + u);
            }
        }
        StyxTestClient observer = client("observer");
        assertThat(read(observer, 1, "index").split("\n")).as("index lines").containsExactlyInAnyOrderElementsOf(expectedLines);
        assertThat(serviceOwners(observer, 2)).as("owner (stat uid) of each service file").isEqualTo(expectedOwners);
        assertThat(registry.version()).as("version: one change per registration").isEqualTo(users * perUser);

        registrants.forEach(StyxTestClient::close);
        eventually().untilAsserted(() -> assertThat(registry.services())
                .as("services once their connections are gone").isEmpty());
        assertThat(registry.version()).as("version: one more change per removal").isEqualTo(2 * users * perUser);
    }

    /** Reads the root directory through {@code fid}: each service file's name and owner. */
    private static Map<String, String> serviceOwners(StyxTestClient c, int fid) {
        expect(c.walk(ROOT, fid), Rwalk.class, "walk to a copy of the root");
        expect(c.open(fid, OREAD), Ropen.class, "open of the root");
        List<Stat> entries = new ArrayList<>();
        long offset = 0;
        while (true) {
            Rread r = expect(c.rpc(new Tread(c.nextTag(), fid, offset, c.msize() - StyxCodec.IOHDRSZ)), Rread.class,
                    "directory read at " + offset);
            if (r.data().length == 0) {
                break;
            }
            entries.addAll(StyxCodec.decodeStats(r.data()));
            offset += r.data().length;
        }
        Map<String, String> owners = new LinkedHashMap<>();
        entries.stream().filter(s -> s.name().startsWith("svc-")).forEach(s -> owners.put(s.name(), s.uid()));
        return owners;
    }

    @Test
    void aDroppedConnectionUnregistersItsServicesExceptPersistentOnesAndAnEventFollows() {
        StyxTestClient alice = client("alice");
        register(alice, 1, "temp proto tcp");
        register(alice, 2, "keep proto tcp persist 1");
        StyxTestClient watcher = client("watcher");
        open(watcher, 1, "event", OREAD);
        int tag = watcher.nextTag();
        watcher.send(new Tread(tag, 1, 0, 9));
        assertNothingPending(watcher, "the event read is parked");

        alice.close();

        assertThat(watcher.receive()).as("event after the drop: the removal of temp is change 3")
                .isEqualTo(new Rread(tag, eventRecord(3)));
        assertThat(read(watcher, 2, "index")).as("index after the drop").isEqualTo("keep proto tcp persist 1\n");
        eventually().untilAsserted(() -> assertThat(registry.counters().openConnections())
                .as("open connections: the watcher only").isEqualTo(1));
    }

    @Test
    void aParkedEventReadIsAnsweredAfterAnotherClientsChange() {
        StyxTestClient watcher = client("watcher");
        open(watcher, 1, "event", OREAD);
        int tag = watcher.nextTag();
        watcher.send(new Tread(tag, 1, 0, 9));
        assertNothingPending(watcher, "a fresh event file waits for the next change");

        register(client("alice"), 1, "svc proto tcp");

        assertThat(watcher.receive()).as("the parked read, answered").isEqualTo(new Rread(tag, eventRecord(1)));
    }

    @Test
    void aSlowEventReaderGetsOnlyTheLatestVersion() {
        StyxTestClient watcher = client("watcher");
        open(watcher, 1, "event", OREAD);
        StyxTestClient alice = client("alice");
        register(alice, 1, "svc proto tcp");
        update(alice, 1, "port 1");
        update(alice, 1, "port 2");

        assertThat(watcher.rpc(new Tread(watcher.nextTag(), 1, 0, 9))).as("read after three changes")
                .isInstanceOfSatisfying(Rread.class, r -> assertThat(r.data()).as("coalesced record").isEqualTo(eventRecord(3)));
        int tag = watcher.nextTag();
        watcher.send(new Tread(tag, 1, 0, 9));
        assertNothingPending(watcher, "versions 1 and 2 are not delivered late");
        update(alice, 1, "port 3");
        assertThat(watcher.receive()).as("the next change").isEqualTo(new Rread(tag, eventRecord(4)));
    }

    @Test
    void aFlushedEventReadGetsRflushAndNeverAnRread() {
        StyxTestClient watcher = client("watcher");
        open(watcher, 1, "event", OREAD);
        int readTag = watcher.nextTag();
        watcher.send(new Tread(readTag, 1, 0, 9));
        int flushTag = watcher.nextTag();
        assertThat(watcher.rpc(new Tflush(flushTag, readTag))).as("reply to Tflush").isEqualTo(new Rflush(flushTag));

        register(client("alice"), 1, "svc proto tcp");

        assertNothingPending(watcher, "the flushed read is not answered by the change");
        assertThat(watcher.rpc(new Tread(watcher.nextTag(), 1, 0, 9))).as("a new read on the same fid")
                .isInstanceOfSatisfying(Rread.class, r -> assertThat(r.data()).as("record").isEqualTo(eventRecord(1)));
    }

    @Test
    void aShortEventReadIsTruncatedAndTheRestIsLost() {
        StyxTestClient watcher = client("watcher");
        open(watcher, 1, "event", OREAD);
        StyxTestClient alice = client("alice");
        register(alice, 1, "svc proto tcp");

        assertThat(watcher.rpc(new Tread(watcher.nextTag(), 1, 0, 4))).as("read with count 4")
                .isInstanceOfSatisfying(Rread.class, r -> assertThat(new String(r.data(), StandardCharsets.US_ASCII))
                        .as("truncated record").isEqualTo("0000"));
        int tag = watcher.nextTag();
        watcher.send(new Tread(tag, 1, 0, 9));
        assertNothingPending(watcher, "the rest of the record is not delivered");
        update(alice, 1, "port 1");
        assertThat(watcher.receive()).as("the next change").isEqualTo(new Rread(tag, eventRecord(2)));
    }

    @Test
    void pipelinedRequestsAreAllAnsweredWithTheirTags() {
        StyxTestClient c = client("alice");
        register(c, 1, "svc proto tcp");
        int fids = 25;
        Map<Integer, Class<? extends StyxMessage>> expected = new LinkedHashMap<>();
        List<StyxMessage> requests = new ArrayList<>();
        for (int i = 0; i < fids; i++) {
            int fid = 100 + i;
            requests.add(new Twalk(c.nextTag(), ROOT, fid, List.of("index")));
            requests.add(new Topen(c.nextTag(), fid, OREAD));
            requests.add(new Tread(c.nextTag(), fid, 0, 100));
            requests.add(new Tclunk(c.nextTag(), fid));
        }
        List<Class<? extends StyxMessage>> replyTypes = List.of(Rwalk.class, Ropen.class, Rread.class, Rclunk.class);
        for (int i = 0; i < requests.size(); i++) {
            expected.put(requests.get(i).tag(), replyTypes.get(i % 4));
        }
        requests.forEach(c::send);

        Map<Integer, Class<? extends StyxMessage>> answered = new LinkedHashMap<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            StyxMessage reply = c.receive();
            answered.put(reply.tag(), reply.getClass());
            if (reply instanceof Rread r) {
                texts.add(new String(r.data(), StandardCharsets.UTF_8));
            }
        }
        assertThat(answered).as("reply type by tag, for %d pipelined requests", requests.size()).isEqualTo(expected);
        assertThat(texts).as("each index read").hasSize(fids).containsOnly("svc proto tcp\n");
        assertNothingPending(c, "exactly one reply per request");
    }

    @Test
    void msizeIsNegotiatedOverTheWireAndFramesOfThatSizePass() {
        StyxTestClient c = StyxTestClient.connect(registry.styxPort());
        clients.add(c);
        assertThat(c.version(1 << 20)).as("reply to Tversion asking for 1 MiB")
                .isEqualTo(new Rversion(NOTAG, 65560, "9P2000"));
        c.attach(ROOT, "alice");
        String line = "big blob " + "x".repeat(60_000);
        register(c, 1, line);
        open(c, 2, "index", OREAD);
        StyxMessage reply = c.rpc(new Tread(c.nextTag(), 2, 0, 65560 - StyxCodec.IOHDRSZ));
        assertThat(reply).as("one read of the whole 60 KB index")
                .isInstanceOfSatisfying(Rread.class, r -> assertThat(new String(r.data(), StandardCharsets.UTF_8))
                        .as("index text").isEqualTo(line + "\n"));
    }

    @Test
    void theRootQidVersionIsTheRegistryVersion() {
        StyxTestClient c = client("alice");
        register(c, 1, "one proto tcp");
        register(c, 2, "two proto tcp");
        update(c, 2, "port 2");

        Rstat stat = expect(c.rpc(new Tstat(c.nextTag(), ROOT)), Rstat.class, "Tstat of the root");

        assertThat(registry.version()).as("registry version after three changes").isEqualTo(3);
        assertThat(stat.stat().qid().version()).as("root qid.vers").isEqualTo(registry.version());
        assertThat(stat.stat().qid().type()).as("root qid.type").isEqualTo(StyxMessage.QTDIR);
    }

    @Test
    void anIndexReadCountsOnceWhateverTheNumberOfTreadsItTakes() {
        StyxTestClient c = client("alice");
        register(c, 1, "svc proto tcp");
        open(c, 2, "index", OREAD);
        StringBuilder text = new StringBuilder();
        int treads = 0;
        while (true) {
            Rread r = expect(c.rpc(new Tread(c.nextTag(), 2, text.length(), 4)), Rread.class, "index read");
            treads++;
            if (r.data().length == 0) {
                break;
            }
            text.append(new String(r.data(), StandardCharsets.UTF_8));
        }

        assertThat(text).as("index read 4 bytes at a time").hasToString("svc proto tcp\n");
        assertThat(registry.counters().indexReads()).as("indexReads after one read at offset 0").isEqualTo(1);
        assertThat(registry.counters().findReads()).as("findReads").isZero();
        assertThat(registry.counters().requests(116)).as("requests(116): the Treads").isEqualTo(treads);

        assertThat(read(c, 3, "index")).as("a second whole read").isEqualTo("svc proto tcp\n");
        assertThat(registry.counters().indexReads()).as("indexReads after a second read at offset 0").isEqualTo(2);
    }

    @Test
    void findReadsCountInFindReads() {
        StyxTestClient c = client("alice");
        register(c, 1, "svc proto tcp");
        register(c, 2, "other proto udp");
        open(c, 3, "find", ORDWR);
        expect(c.rpc(new Twrite(c.nextTag(), 3, 0, "proto tcp".getBytes(StandardCharsets.UTF_8))), Rwrite.class,
                "filter write");
        long treadsBefore = registry.counters().requests(116);

        assertThat(c.readAll(3)).as("find answer").isEqualTo("svc proto tcp\n");
        assertThat(c.readAll(3)).as("find answer, read again").isEqualTo("svc proto tcp\n");

        assertThat(registry.counters().findReads()).as("findReads: two reads at offset 0").isEqualTo(2);
        assertThat(registry.counters().indexReads()).as("indexReads").isZero();
        assertThat(registry.counters().requests(116) - treadsBefore).as("Treads: two per whole read").isEqualTo(4);
    }
}
