package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.failure;
import static io.regmgr.runtime.client.Stages.awaiting;
import static io.regmgr.runtime.client.Stages.join;
import static io.regmgr.runtime.client.StyxClientRegistryTest.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.Filter;
import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rflush;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tflush;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** The 9P client against a scripted registry that misbehaves once the session is up. */
class StyxClientFaultAfterConnectTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private final RecordingListener events = new RecordingListener();
    private ScriptedServer server;
    private FakeRegistry fake;

    private RegistrySession connect(FakeRegistry registry) {
        return connect(registry, UnaryOperator.identity());
    }

    private RegistrySession connect(FakeRegistry registry, UnaryOperator<ConnectorOptions.Builder> tweak) {
        fake = registry;
        server = NET.server(ScriptedServer.styx(registry));
        StyxConnector connector = NET.styx(tweak.apply(StyxClientFaultTest.options(server.port())));
        RegistrySession session = join(connector.connect(events));
        awaiting().until(() -> fake.eventRead() != null);
        return session;
    }

    private Object endedWith() {
        awaiting().until(() -> !events.closes.isEmpty());
        awaiting().untilAsserted(() -> assertThat(server.openConnections()).as("open sockets").isZero());
        return events.closedOnce();
    }

    @Test
    void versionLinesFromTheEventReadReachTheListenerAndTheReadIsReissued() throws Exception {
        connect(FakeRegistry.afterConnect((m, out, r) -> false));
        Tread first = fake.eventRead();

        fake.out().reply(new Rread(first.tag(), "00000007\n".getBytes(StandardCharsets.US_ASCII)));

        awaiting().until(() -> fake.eventRead() != first);
        assertThat(events.versions).as("versions").containsExactly(7L);
        assertThat(fake.eventRead().count()).as("count of the event read").isGreaterThanOrEqualTo(9);
    }

    @Test
    void anEventReadLongerThanAskedIsAProtocolViolation() throws Exception {
        connect(FakeRegistry.afterConnect((m, out, r) -> false));

        fake.out().reply(new Rread(fake.eventRead().tag(), new byte[100]));

        assertThat(endedWith()).as("cause").isInstanceOf(ProtocolViolationException.class)
                .asString().contains("more than the count of 64");
    }

    @Test
    void anEventRecordThatIsNotAVersionLineIsAProtocolViolation() throws Exception {
        connect(FakeRegistry.afterConnect((m, out, r) -> false));

        fake.out().reply(new Rread(fake.eventRead().tag(), "hello\n".getBytes(StandardCharsets.US_ASCII)));

        assertThat(endedWith()).as("cause").isInstanceOf(ProtocolViolationException.class)
                .asString().contains("event record 'hello\\x0a'");
    }

    @Test
    void aListingThatIsNotServiceLinesIsAProtocolViolation() {
        RegistrySession session = connect(FakeRegistry.afterConnect((m, out, r) -> {
            if (m instanceof Tread t && t.tag() != r.eventRead().tag() && t.offset() == 0) {
                out.reply(new Rread(t.tag(), "svc attr\n".getBytes(StandardCharsets.US_ASCII)));
                return true;
            }
            return false;
        }));

        Throwable failure = failure(session.index());

        assertThat(failure).as("index").isInstanceOf(ProtocolViolationException.class)
                .hasMessageContaining("odd attribute/value pairs");
        assertThat(endedWith()).as("cause").isSameAs(failure);
    }

    @Test
    void aReplyWithAnUnknownTagIsAProtocolViolation() throws Exception {
        connect(FakeRegistry.afterConnect((m, out, r) -> false));

        fake.out().reply(new Rclunk(777));

        assertThat(endedWith()).as("cause").isInstanceOf(ProtocolViolationException.class)
                .asString().contains("tag 777");
    }

    @Test
    void aHalfOpenConnectionIsDeclaredDeadByTheProbeAndFailsWhatIsPending() {
        long start = System.nanoTime();
        RegistrySession session = connect(FakeRegistry.afterConnect(FakeRegistry.silence()),
                b -> b.probe(Duration.ofMillis(200), Duration.ofMillis(200)).requestTimeout(WAIT));
        CompletionStage<?> pending = session.index();

        Object cause = endedWith();

        assertThat(cause).as("cause").isInstanceOf(RegistryTimeoutException.class).asString()
                .contains("probe").contains("half-open connection?");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to declare it dead")
                .isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(3));
        assertThat(failure(pending)).as("the pending index").isSameAs(cause);
        assertThat(fake.received(StyxMessage.Tstat.class)).as("stats: the root's, then the probe").hasSize(2);
    }

    @Test
    void aStallMidFrameTimesOutTheRequestAndTheUnansweredFlushEndsTheConnection() {
        AtomicBoolean stalled = new AtomicBoolean();
        RegistrySession session = connect(FakeRegistry.afterConnect((m, out, r) -> {
            if (m instanceof Twalk w && w.names().equals(List.of("find"))) {
                byte[] reply = StyxCodec.encode(new Rwalk(w.tag(), List.of(new Qid(0, 0, 4))));
                out.raw(Arrays.copyOf(reply, 6));
                stalled.set(true);
            }
            return stalled.get();
        }));

        Throwable failure = failure(session.find(Filter.all()));

        assertThat(failure).as("find").isInstanceOf(RegistryTimeoutException.class).hasMessageContaining("find");
        assertThat(endedWith()).as("cause").isInstanceOf(RegistryTimeoutException.class).asString()
                .contains("flush of tag");
    }

    @Test
    void aTimedOutRequestIsFlushedAndItsTagAndFidReclaimed() {
        RegistrySession session = connect(FakeRegistry.afterConnect((m, out, r) ->
                m instanceof Tread t && t.tag() != r.eventRead().tag()));
        StyxClient client = client(session);

        Throwable failure = failure(session.find(Filter.all()));

        assertThat(failure).as("find").isInstanceOf(RegistryTimeoutException.class).hasMessageContaining("Tread");
        awaiting().untilAsserted(() -> {
            assertThat(client.tagsInFlight()).as("tags in flight").isEqualTo(1);
            assertThat(client.fidsAllocated()).as("fids allocated").isEqualTo(2);
        });
        Tread read = fake.received(Tread.class).get(1);
        assertThat(fake.received(Tflush.class)).as("flushes").extracting(Tflush::oldtag).containsExactly(read.tag());
        assertThat(fake.received(Tclunk.class)).as("clunks").extracting(Tclunk::fid).containsExactly(read.fid());
        assertThat(session.isOpen()).as("open").isTrue();
    }

    @Test
    void aWalkAnsweredAfterItsTimeoutIsUndone() {
        AtomicReference<Twalk> parked = new AtomicReference<>();
        RegistrySession session = connect(FakeRegistry.afterConnect((m, out, r) -> {
            if (m instanceof Twalk w) {
                parked.set(w);
                return true;
            }
            if (m instanceof Tflush f && parked.get() != null && f.oldtag() == parked.get().tag()) {
                // the reply crosses the flush: 9P says the walk happened
                out.reply(new Rwalk(f.oldtag(), List.of(new Qid(0, 0, 2))));
                out.reply(new Rflush(f.tag()));
                return true;
            }
            return false;
        }));
        StyxClient client = client(session);

        assertThat(failure(session.index())).as("index").isInstanceOf(RegistryTimeoutException.class);

        awaiting().untilAsserted(() -> {
            assertThat(fake.received(Tclunk.class)).as("clunks").extracting(Tclunk::fid)
                    .containsExactly(parked.get().newfid());
            assertThat(client.fidsAllocated()).as("fids allocated").isEqualTo(2);
            assertThat(client.tagsInFlight()).as("tags in flight").isEqualTo(1);
        });
    }

    /** The request timeout counts the wait for a tag: this test gives it room. */
    @Test
    void requestsBeyondTheTagPoolWaitForAFreeTag() {
        List<Twalk> parked = new ArrayList<>();
        AtomicInteger parkedAtRelease = new AtomicInteger();
        AtomicInteger highestTag = new AtomicInteger();
        RegistrySession session = connect(FakeRegistry.afterConnect((m, out, r) -> {
            highestTag.accumulateAndGet(m.tag(), Math::max);
            if (!(m instanceof Twalk w) || parkedAtRelease.get() > 0) {
                return false;
            }
            parked.add(w);
            if (parked.size() == StyxClient.MAX_IN_FLIGHT - 1) {
                parkedAtRelease.set(parked.size());
                for (Twalk p : parked) {
                    r.answer(p, out);
                }
            }
            return true;
        }), b -> b.requestTimeout(WAIT));
        List<CompletionStage<?>> reads = new ArrayList<>();

        // distinct filters: each read walks a fid of its own (kept open up to KeptReads.MAX_KEPT)
        for (int i = 0; i < 1500; i++) {
            reads.add(session.find(Filter.of("n", Integer.toString(i))));
        }

        reads.forEach(Stages::join);
        assertThat(parkedAtRelease.get()).as("walks in flight when the pool was exhausted")
                .isEqualTo(StyxClient.MAX_IN_FLIGHT - 1);
        assertThat(highestTag.get()).as("highest tag used").isEqualTo(StyxClient.MAX_IN_FLIGHT - 1);
        awaiting().until(() -> client(session).tagsInFlight() == 1
                && client(session).fidsAllocated() == 2 + KeptReads.MAX_KEPT);
    }
}
