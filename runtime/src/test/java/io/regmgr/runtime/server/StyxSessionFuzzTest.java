package io.regmgr.runtime.server;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxFrameReader;
import io.regmgr.runtime.protocol.StyxMessage;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.regmgr.runtime.protocol.StyxMessage.NOFID;
import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of the registry's 9P session path without a network: sequences of T-messages aimed at
 * the registry's files (small fid and tag ranges, registry commands and garbage as write data) on
 * two sessions sharing one registry state, and arbitrary bytes through the frame reader into a
 * session. A session never throws for a T-message; every reply is one the codec can encode
 * within the negotiated msize and answers a tag a request carried; the fid table stays within its
 * limit. Arbitrary bytes end in nothing but ProtocolViolationException or LimitExceededException.
 */
class StyxSessionFuzzTest {
    private static final int MAX_MSIZE = 8216;
    private static final int MAX_FIDS = 6;
    private static final List<String> NAMES = List.of("new", "index", "find", "event", "svc", "tcp!h!1", "..", ".", "x");
    private static final List<String> COMMANDS = List.of("svc", "svc a b", "tcp!h!1 proto tcp", "svc a", "a b c d",
            "'quoted name' k 'v w'", "", "svc 'unterminated", "* *", "proto tcp", "svc k ''");

    @Property
    void sessionsAnswerEveryMessageWithAnEncodableReply(@ForAll("sequences") List<StyxMessage> messages,
            @ForAll List<Boolean> onSecond) {
        RegistryState state = new RegistryState("registry", () -> 1_700_000_000L, new RegistryCounters());
        List<StyxMessage> replies = new ArrayList<>();
        StyxSession a = new StyxSession(state, replies::add, MAX_MSIZE, MAX_FIDS);
        StyxSession b = new StyxSession(state, replies::add, MAX_MSIZE, MAX_FIDS);
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            StyxMessage m = messages.get(i);
            StyxSession s = i < onSecond.size() && onSecond.get(i) ? b : a;
            tags.add(m.tag());
            s.handle(m);
            for (StyxMessage r : replies) {
                assertThat(tags).as("tag of %s answers a request", r).contains(r.tag());
                byte[] frame = StyxCodec.encode(r);
                assertThat(frame.length).as("size of %s within msize", r).isLessThanOrEqualTo(Math.max(a.msize(), b.msize()));
            }
            replies.clear();
            assertThat(a.openFids()).as("fids of a session").isLessThanOrEqualTo(MAX_FIDS);
            assertThat(b.openFids()).as("fids of a session").isLessThanOrEqualTo(MAX_FIDS);
        }
    }

    @Property
    void arbitraryBytesIntoASessionOnlyEndInTypedRefusals(@ForAll("bytes") byte[] bytes,
            @ForAll @IntRange(min = 1, max = 64) int chunk) {
        RegistryState state = new RegistryState("registry", () -> 1_700_000_000L, new RegistryCounters());
        List<StyxMessage> replies = new ArrayList<>();
        StyxSession s = new StyxSession(state, replies::add, MAX_MSIZE, MAX_FIDS);
        StyxFrameReader reader = new StyxFrameReader(MAX_MSIZE, s::handle);
        try {
            for (int from = 0; from < bytes.length; from += chunk) {
                reader.feed(bytes, from, Math.min(chunk, bytes.length - from));
            }
        } catch (ProtocolViolationException | LimitExceededException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").isNotBlank();
        }
        replies.forEach(StyxCodec::encode);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // valid frames concatenated, then corrupted: the reader gets past the size field to the session
        Arbitrary<byte[]> frames = sequences().map(ms -> {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ms.forEach(m -> out.writeBytes(StyxCodec.encode(m)));
            return out.toByteArray();
        });
        Arbitrary<byte[]> corrupted = Combinators.combine(frames, Arbitraries.integers().between(0, 10_000),
                Arbitraries.bytes()).as((f, at, v) -> {
                    if (f.length > 0 && at % 3 == 0) {
                        f[at % f.length] = v;
                    }
                    return f;
                });
        return Arbitraries.oneOf(raw, corrupted);
    }

    @Provide
    Arbitrary<List<StyxMessage>> sequences() {
        return message().list().ofMaxSize(40).map(ms -> {
            List<StyxMessage> all = new ArrayList<>();
            all.add(new Tversion(NOTAG, MAX_MSIZE, "9P2000"));
            all.add(new Tattach(0, 0, NOFID, "fuzz", ""));
            all.addAll(ms);
            return all;
        });
    }

    private static Arbitrary<StyxMessage> message() {
        Arbitrary<Integer> tag = Arbitraries.integers().between(0, 6);
        Arbitrary<Integer> fid = Arbitraries.integers().between(0, MAX_FIDS + 2);
        Arbitrary<List<String>> names = Arbitraries.of(NAMES).list().ofMaxSize(3);
        Arbitrary<Integer> mode = Arbitraries.of(0, 1, 2, 3, 0x10, 0x40, 0x41);
        Arbitrary<Long> offset = Arbitraries.longs().between(0, 300).injectDuplicates(0.3);
        Arbitrary<Integer> count = Arbitraries.of(0, 1, 8, 64, 8192, 70_000, -1);
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.of(COMMANDS).map(c -> c.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40));
        return Arbitraries.oneOf(
                Combinators.combine(tag, fid, fid, names).as(Twalk::new),
                Combinators.combine(tag, fid, fid, names).as(Twalk::new),
                Combinators.combine(tag, fid, mode).as(Topen::new),
                Combinators.combine(tag, fid, offset, count).as(Tread::new),
                Combinators.combine(tag, fid, offset, data).as(Twrite::new),
                Combinators.combine(tag, fid, data).as((t, f, d) -> new Twrite(t, f, 0, d)),
                Combinators.combine(tag, fid).as(Tclunk::new),
                Combinators.combine(tag, fid).as(Tremove::new),
                Combinators.combine(tag, fid).as(Tstat::new),
                Combinators.combine(tag, tag).as(Tflush::new),
                Combinators.combine(tag, fid).as((t, f) -> new Tattach(t, f, NOFID, "other", "")),
                Arbitraries.of(256, 8216, 100).map(ms -> new Tversion(NOTAG, ms, "9P2000")));
    }
}
