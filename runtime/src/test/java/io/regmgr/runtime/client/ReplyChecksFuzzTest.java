package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of the client's reply checks: any request paired with any reply (either may be of the
 * wrong kind, counts and sizes anything a u32 holds) is accepted or refused with a
 * ProtocolViolationException naming the server, nothing else; an Rerror always answers.
 */
class ReplyChecksFuzzTest {
    private static final String ADDRESS = "tcp!fuzz!564";

    @Property
    void anyPairIsAcceptedOrRefusedAsAViolation(@ForAll("messages") StyxMessage request,
            @ForAll("messages") StyxMessage reply) {
        try {
            ReplyChecks.checkIsReply(reply, ADDRESS);
            ReplyChecks.checkAnswers(request, reply, ADDRESS);
        } catch (ProtocolViolationException expected) {
            assertThat(expected.getMessage()).as("message of the refusal").contains(ADDRESS);
        }
    }

    @Property
    void anRerrorAnswersAnyRequest(@ForAll("messages") StyxMessage request, @ForAll String ename) {
        ReplyChecks.checkAnswers(request, new Rerror(request.tag(), ename), ADDRESS);
    }

    @Provide
    Arbitrary<StyxMessage> messages() {
        Arbitrary<Integer> tag = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Integer> u32 = Arbitraries.integers().injectDuplicates(0.1);
        Arbitrary<Qid> qid = Combinators.combine(Arbitraries.integers().between(0, 255), u32, Arbitraries.longs())
                .as(Qid::new);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<String> version = Arbitraries.of("9P2000", "9P2000.u", "", "unknown");
        return Arbitraries.oneOf(
                Combinators.combine(tag, u32, version).as(Tversion::new),
                Combinators.combine(tag, u32, version).as(Rversion::new),
                Combinators.combine(tag, u32, u32, Arbitraries.of("a", "b", "..").list().ofMaxSize(16)).as(Twalk::new),
                Combinators.combine(tag, qid.list().ofMaxSize(17)).as(Rwalk::new),
                Combinators.combine(tag, u32, Arbitraries.longs(), u32).as(Tread::new),
                Combinators.combine(tag, data).as(Rread::new),
                Combinators.combine(tag, u32, Arbitraries.longs(), data).as(Twrite::new),
                Combinators.combine(tag, u32).as(Rwrite::new),
                Combinators.combine(tag, u32, u32).as(Topen::new),
                Combinators.combine(tag, qid, u32).as(Ropen::new),
                Combinators.combine(tag, u32).as(Tclunk::new),
                tag.map(Rclunk::new));
    }
}
