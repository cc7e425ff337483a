package io.regmgr.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.protocol.StyxMessage.*;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** decode(encode(m)) == m for arbitrary valid messages of every type. */
class StyxCodecRoundTripTest {

    @Property
    void everyMessageRoundTrips(@ForAll("messages") StyxMessage m) {
        byte[] frame = StyxCodec.encode(m);
        assertThat(frame.length)
                .as("size[4] of %s", m)
                .isEqualTo(WireReader.getU32(frame, 0));
        assertThat(StyxCodec.decode(frame)).as("round trip of %s", m).isEqualTo(m);
    }

    @Property
    void walkNamesRoundTrip(@ForAll("walkNames") List<String> names) {
        Twalk walk = new Twalk(1, 0, 1, names);
        assertThat(StyxCodec.decode(StyxCodec.encode(walk))).as("Twalk of %s", names).isEqualTo(walk);
    }

    @Property
    void readDataRoundTrips(@ForAll("data") byte[] data) {
        Rread read = new Rread(7, data);
        assertThat(StyxCodec.decode(StyxCodec.encode(read))).as("Rread of %d bytes", data.length).isEqualTo(read);
    }

    @Property
    void statsRoundTripAloneAndAsADirectory(@ForAll("stats") Stat a, @ForAll("stats") Stat b) {
        byte[] dir = WireBytes.concat(List.of(StyxCodec.encodeStat(a), StyxCodec.encodeStat(b)));
        assertThat(StyxCodec.decodeStats(dir)).as("directory of two entries").containsExactly(a, b);
        assertThat(StyxCodec.decode(StyxCodec.encode(new Rstat(3, a)))).as("Rstat").isEqualTo(new Rstat(3, a));
    }

    @Provide
    Arbitrary<StyxMessage> messages() {
        return StyxArbitraries.messages();
    }

    @Provide
    Arbitrary<List<String>> walkNames() {
        return StyxArbitraries.walkNames();
    }

    @Provide
    Arbitrary<byte[]> data() {
        return StyxArbitraries.data();
    }

    @Provide
    Arbitrary<Stat> stats() {
        return StyxArbitraries.stats();
    }
}
