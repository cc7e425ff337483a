package io.regmgr.runtime.protocol;

import io.regmgr.runtime.protocol.StyxMessage.*;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid 9P2000 values: everything they produce can be encoded. */
final class StyxArbitraries {
    private StyxArbitraries() {
    }

    static Arbitrary<Integer> tags() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    /** u32 values held as bit patterns: any int. */
    static Arbitrary<Integer> u32() {
        return Arbitraries.integers();
    }

    /** Short strings of valid Unicode: mostly ASCII, some of every plane (no lone surrogates). */
    static Arbitrary<String> strings() {
        Arbitrary<String> unicode = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(12)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
        return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(12), unicode);
    }

    static Arbitrary<byte[]> data() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    static Arbitrary<Qid> qids() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFF), u32(), Arbitraries.longs())
                .as(Qid::new);
    }

    static Arbitrary<Stat> stats() {
        Arbitrary<Long> times = Arbitraries.longs().between(0, Stat.MAX_TIME);
        Arbitrary<List<String>> names = strings().list().ofSize(4);
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), u32(), qids(), u32(), times, times,
                        Arbitraries.longs(), names)
                .as((type, dev, qid, mode, atime, mtime, length, n) ->
                        new Stat(type, dev, qid, mode, atime, mtime, length, n.get(0), n.get(1), n.get(2), n.get(3)));
    }

    static Arbitrary<List<String>> walkNames() {
        return strings().list().ofMaxSize(StyxMessage.MAXWELEM);
    }

    /** Every message type, with arbitrary valid fields. */
    static Arbitrary<StyxMessage> messages() {
        Arbitrary<Integer> mode = Arbitraries.integers().between(0, 0xFF);
        List<Arbitrary<? extends StyxMessage>> all = List.of(
                Combinators.combine(tags(), u32(), strings()).as(Tversion::new),
                Combinators.combine(tags(), u32(), strings()).as(Rversion::new),
                Combinators.combine(tags(), u32(), strings(), strings()).as(Tauth::new),
                Combinators.combine(tags(), qids()).as(Rauth::new),
                Combinators.combine(tags(), u32(), u32(), strings(), strings()).as(Tattach::new),
                Combinators.combine(tags(), qids()).as(Rattach::new),
                Combinators.combine(tags(), strings()).as(Rerror::new),
                Combinators.combine(tags(), tags()).as(Tflush::new),
                tags().map(Rflush::new),
                Combinators.combine(tags(), u32(), u32(), walkNames()).as(Twalk::new),
                Combinators.combine(tags(), qids().list().ofMaxSize(StyxMessage.MAXWELEM)).as(Rwalk::new),
                Combinators.combine(tags(), u32(), mode).as(Topen::new),
                Combinators.combine(tags(), qids(), u32()).as(Ropen::new),
                Combinators.combine(tags(), u32(), strings(), u32(), mode).as(Tcreate::new),
                Combinators.combine(tags(), qids(), u32()).as(Rcreate::new),
                Combinators.combine(tags(), u32(), Arbitraries.longs(), u32()).as(Tread::new),
                Combinators.combine(tags(), data()).as(Rread::new),
                Combinators.combine(tags(), u32(), Arbitraries.longs(), data()).as(Twrite::new),
                Combinators.combine(tags(), u32()).as(Rwrite::new),
                Combinators.combine(tags(), u32()).as(Tclunk::new),
                tags().map(Rclunk::new),
                Combinators.combine(tags(), u32()).as(Tremove::new),
                tags().map(Rremove::new),
                Combinators.combine(tags(), u32()).as(Tstat::new),
                Combinators.combine(tags(), stats()).as(Rstat::new),
                Combinators.combine(tags(), u32(), stats()).as(Twstat::new),
                tags().map(Rwstat::new));
        return Arbitraries.oneOf(all);
    }
}
